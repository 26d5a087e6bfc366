using Pipeline.Datasets;
using Pipeline.Datasets.Intake;
using Pipeline.Datasets.Store;
using Pipeline.Tests.Drops;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Datasets;

/// <summary>Ingestion without the service: the on-disk states a crash can leave, and what a re-run makes of them.</summary>
[Trait("Kind", "Unit")]
public sealed class DropIngestorTests : IDisposable
{
    private readonly string _root = RepositoryPaths.NewTempFolder("drop-ingestor");
    private readonly IntakeFolders _folders;
    private readonly DropRecords _records;
    private readonly DatasetStore _store;
    private readonly DropReceiver _receiver;
    private readonly DropIngestor _ingestor;

    public DropIngestorTests()
    {
        _folders = new IntakeFolders(Path.Combine(_root, "intake"), Path.Combine(_root, "processed"), Path.Combine(_root, "quarantine"));
        _folders.Create();
        _records = new DropRecords(_folders);
        _store = new DatasetStore(Path.Combine(_root, "datasets"));
        _receiver = new DropReceiver(_folders, _records, TimeProvider.System);
        _ingestor = new DropIngestor(_folders, _records, _store, new DropIngestionOptions(), TimeProvider.System);
    }

    private async Task<DropRecord> ReceiveAsync(string name, Dictionary<string, byte[]> files)
    {
        var folder = Path.Combine(_root, "drops", name);
        DropImages.Write(folder, files);
        return await _receiver.ReceiveAsync(folder);
    }

    private static Dictionary<string, byte[]> TwoLabels() => new()
    {
        ["cat/a.png"] = DropImages.Png(1), ["cat/b.png"] = DropImages.Png(2), ["dog/c.png"] = DropImages.Png(3),
    };

    [Fact]
    public async Task Rerun_after_a_crash_between_commit_and_record_adds_no_second_version_and_counts_the_same()
    {
        var received = await ReceiveAsync("pets", TwoLabels());
        var first = await _ingestor.IngestAsync(received.Id);
        // Put the disk back as a crash right after the commit would leave it: record still ingesting, drop not moved.
        Directory.Move(_folders.ProcessedOf(received.Id), _folders.PayloadOf(received.Id));
        await _records.SaveAsync(received with { State = DropState.Ingesting });

        var pending = await new IntakeReconciler(_folders, _records, _ingestor).ReconcileAsync();
        var again = await _ingestor.IngestAsync(received.Id);

        Assert.Equal([received.Id], pending);
        Assert.Equal([1], _store.Versions());
        Assert.Equal(first.Accepted, again.Accepted);
        Assert.Equal(3, again.Accepted);
        Assert.Equal(0, again.Duplicates);
        Assert.Equal(1, again.DatasetVersion);
        Assert.True(Directory.Exists(Path.Combine(_folders.ProcessedOf(received.Id), "pets", "cat")));
    }

    [Fact]
    public async Task Finished_drop_not_yet_moved_is_only_moved_at_start_up()
    {
        var received = await ReceiveAsync("pets", TwoLabels());
        await _ingestor.IngestAsync(received.Id);
        Directory.Move(_folders.ProcessedOf(received.Id), _folders.PayloadOf(received.Id));

        var pending = await new IntakeReconciler(_folders, _records, _ingestor).ReconcileAsync();

        Assert.Empty(pending);
        Assert.True(Directory.Exists(_folders.ProcessedOf(received.Id)));
        Assert.False(Directory.Exists(_folders.PayloadOf(received.Id)));
        Assert.Equal([1], _store.Versions());
    }

    [Fact]
    public async Task Payload_moved_in_before_a_crash_gets_a_record_and_is_ingested_while_a_cut_off_upload_is_discarded()
    {
        var id = DropId.New(DateTimeOffset.UtcNow);
        DropImages.Write(Path.Combine(_folders.PayloadOf(id), "pets"), TwoLabels());
        var halfUpload = _folders.NewUploadFolder();
        DropImages.Write(halfUpload, new Dictionary<string, byte[]> { ["upload/cat/x.png"] = DropImages.Png(9) });

        var pending = await new IntakeReconciler(_folders, _records, _ingestor).ReconcileAsync();
        var ingested = await _ingestor.IngestAsync(id);

        Assert.Equal([id], pending);
        Assert.False(Directory.Exists(halfUpload));
        Assert.Equal(DropState.Ingested, ingested.State);
        Assert.Equal("pets", ingested.Name);
        Assert.Equal(3, ingested.Accepted);
    }

    [Fact]
    public async Task Drop_of_images_the_dataset_already_has_adds_no_version()
    {
        await _ingestor.IngestAsync((await ReceiveAsync("pets", TwoLabels())).Id);

        var again = await _ingestor.IngestAsync((await ReceiveAsync("pets-again", TwoLabels())).Id);

        Assert.Equal(DropState.Ingested, again.State);
        Assert.Equal(0, again.Accepted);
        Assert.Equal(3, again.Duplicates);
        Assert.Null(again.DatasetVersion);
        Assert.Contains("nothing new", again.Reason);
        Assert.Equal([1], _store.Versions());
    }

    [Fact]
    public async Task Each_image_keeps_the_name_it_arrived_under_in_its_label_folder()
    {
        var ingested = await _ingestor.IngestAsync((await ReceiveAsync("pets", TwoLabels())).Id);

        var names = _store.Get(ingested.DatasetVersion!.Value)!.Images.Select(i => (i.Label, i.FileName)).Order().ToList();

        Assert.Equal([("cat", "a.png"), ("cat", "b.png"), ("dog", "c.png")], names);
    }

    [Fact]
    public async Task Quarantined_files_are_grouped_by_their_label_folder_and_count_for_the_versions_from_the_one_latest_when_their_drop_finished()
    {
        var first = TwoLabels();
        first["cat/bad.png"] = "not a picture"u8.ToArray();
        first["notes.txt"] = "beside the label folders"u8.ToArray();
        await _ingestor.IngestAsync((await ReceiveAsync("pets", first)).Id);
        // Every file rejected: no version of its own. An unsafe entry has no label folder to be grouped under.
        var zip = Path.Combine(_root, "drops", "broken.zip");
        await File.WriteAllBytesAsync(zip, DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["../evil.png"] = DropImages.Png(8), ["dog/broken.png"] = "truncated"u8.ToArray(),
        }));
        await _ingestor.IngestAsync((await _receiver.ReceiveAsync(zip)).Id);
        await _ingestor.IngestAsync((await ReceiveAsync("more", new() { ["dog/d.png"] = DropImages.Png(4) })).Id);
        await _ingestor.IngestAsync((await ReceiveAsync("late", new() { ["cat/late.png"] = "not a picture"u8.ToArray() })).Id);
        var (v1, v2) = (_store.Get(1)!, _store.Get(2)!);
        static List<(string?, string)> Listed(IReadOnlyList<QuarantinedFile> files) => files.Select(f => (f.Label, f.Path)).ToList();

        var atFirst = DatasetQuarantine.Of(v1, v2, _records.All());
        var atLatest = DatasetQuarantine.Of(v2, null, _records.All());

        Assert.Equal([1, 2], _store.Versions());
        Assert.Equal([("cat", "cat/bad.png"), ("dog", "dog/broken.png"), (null, "../evil.png"), (null, "notes.txt")], Listed(atFirst));
        Assert.Equal([("cat", "cat/bad.png"), ("cat", "cat/late.png"), ("dog", "dog/broken.png"), (null, "../evil.png"), (null, "notes.txt")],
            Listed(atLatest));
        Assert.Equal("broken.zip", atLatest.Single(f => f.Path == "../evil.png").Drop.Name);
    }

    [Fact]
    public async Task Linked_file_in_a_drop_is_not_followed()
    {
        var secret = Path.Combine(_root, "secret.png");
        await File.WriteAllBytesAsync(secret, DropImages.Png(7));
        var folder = Path.Combine(_root, "drops", "links");
        DropImages.Write(folder, TwoLabels());
        File.CreateSymbolicLink(Path.Combine(folder, "cat", "link.png"), secret);

        var record = await _ingestor.IngestAsync((await _receiver.ReceiveAsync(folder)).Id);

        var rejected = Assert.Single(record.RejectedFiles);
        Assert.Equal("cat/link.png", rejected.Path);
        Assert.Contains("symbolic link", rejected.Reason);
        Assert.False(File.Exists(Path.Combine(_folders.QuarantineOf(record.Id), "cat", "link.png")));
        Assert.True(File.Exists(Path.Combine(_folders.QuarantineOf(record.Id), "cat", "link.png.reason.txt")));
    }

    [Fact]
    public async Task Named_pipe_in_a_drop_is_rejected_without_being_opened()
    {
        var folder = Path.Combine(_root, "drops", "pipe");
        DropImages.Write(folder, TwoLabels());
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(folder, "cat", "pipe.png")))
            await mkfifo.WaitForExitAsync();

        var ingest = _ingestor.IngestAsync((await _receiver.ReceiveAsync(folder)).Id);
        var record = await ingest.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, record.Accepted);
        Assert.Equal(new RejectedFile("cat/pipe.png", "file is empty"), Assert.Single(record.RejectedFiles));
    }

    public void Dispose() => _store.Dispose();
}
