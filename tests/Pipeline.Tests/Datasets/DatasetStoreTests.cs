using Pipeline.Datasets;
using Pipeline.Datasets.Store;
using Pipeline.Tests.Drops;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Datasets;

[Trait("Kind", "Unit")]
public class DatasetStoreTests
{
    private readonly string _root = RepositoryPaths.NewTempFolder("dataset-store");

    private async Task<DatasetEntry> StoredAsync(DatasetStore store, int n, string label)
    {
        var path = Path.Combine(_root, "in", $"{label}-{n}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, DropImages.Png(n));
        var sha = await ContentHash.Sha256HexOfFileAsync(path);
        await store.StoreImageAsync(new LabelledImage(path, label, sha, 16, 16, "png"));
        return new DatasetEntry(sha, label, "png", 16, 16);
    }

    [Fact]
    public async Task Committing_the_same_source_twice_returns_the_first_version_and_adds_nothing()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var cat = await StoredAsync(store, 1, "cat");

        var first = await store.CommitAsync([cat], "drop:a");
        var again = await store.CommitAsync([cat, await StoredAsync(store, 2, "cat")], "drop:a");

        Assert.Equal(first.Version, again.Version);
        Assert.Equal([1], store.Versions());
        Assert.Single(store.Latest()!.Images);
        Assert.Equal(first.Version, store.FindBySource("drop:a")!.Version);
    }

    [Fact]
    public async Task Images_carry_the_drop_that_added_them_as_their_group()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var cat = await StoredAsync(store, 1, "cat");
        var dog = await StoredAsync(store, 2, "dog");
        await store.CommitAsync([cat], "drop:a");
        // The cat again in a later drop: it stays in the group of the drop that first added it.
        var second = await store.CommitAsync([dog, cat], "drop:b");

        var groups = store.ImagesOf(second).ToDictionary(i => i.Label, i => i.Group);

        Assert.Equal("drop:a", groups["cat"]);
        Assert.Equal("drop:b", groups["dog"]);
    }

    [Fact]
    public async Task Each_version_holds_the_previous_images_plus_the_new_ones()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var cat = await StoredAsync(store, 1, "cat");
        var dog = await StoredAsync(store, 2, "dog");

        await store.CommitAsync([cat], "drop:a");
        var second = await store.CommitAsync([dog, cat], "drop:b");

        Assert.Equal(2, second.Version);
        Assert.Equal(1, second.Added);
        Assert.Equal(["cat", "dog"], second.Labels);
        Assert.All(store.ImagesOf(second), image => Assert.True(File.Exists(image.Path)));
        Assert.Single(store.Get(1)!.Images);
    }

    [Fact]
    public async Task Moving_and_deleting_an_image_each_write_a_new_version_that_records_the_change_and_raise_the_commit_event()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var cat = await StoredAsync(store, 1, "cat");
        var dog = await StoredAsync(store, 2, "dog");
        await store.CommitAsync([cat, dog], "drop:a");
        var committed = new List<int>();
        store.VersionCommitted += v => committed.Add(v.Version);

        var moved = await store.ChangeAsync(cat.Sha256, "dog", "edit:test");
        var deleted = await store.ChangeAsync(dog.Sha256, null, "edit:test");

        Assert.Equal([2, 3], committed);
        Assert.Equal(new DatasetChange(cat.Sha256, "cat", "dog"), Assert.Single(moved.Changes));
        Assert.Equal(["dog"], moved.Labels);
        Assert.Equal(2, moved.Images.Count);
        Assert.Equal(new DatasetChange(dog.Sha256, "dog", null), Assert.Single(store.Get(3)!.Changes));
        Assert.Equal([cat with { Label = "dog", Source = "drop:a" }], deleted.Images);
        // Earlier versions are untouched: a model trained on them keeps its lineage.
        Assert.Equal(["cat", "dog"], store.Get(1)!.Labels);
        Assert.Empty(store.Get(1)!.Changes);
    }

    [Fact]
    public async Task File_names_are_carried_into_later_versions_and_through_a_move_and_the_change_names_the_file()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var cat = await StoredAsync(store, 1, "cat") with { FileName = "IMG_0042.jpg" };
        var dog = await StoredAsync(store, 2, "dog") with { FileName = "rex.png" };
        await store.CommitAsync([cat], "drop:a");
        await store.CommitAsync([dog], "drop:b");

        var moved = await store.ChangeAsync(cat.Sha256, "dog", "edit:test");
        var deleted = await store.ChangeAsync(dog.Sha256, null, "edit:test");

        Assert.Equal(new Dictionary<string, string?> { [cat.Sha256] = "IMG_0042.jpg", [dog.Sha256] = "rex.png" },
            moved.Images.ToDictionary(i => i.Sha256, i => i.FileName));
        Assert.Equal("IMG_0042.jpg", Assert.Single(store.Get(4)!.Images).FileName);
        Assert.Equal("IMG_0042.jpg", Assert.Single(moved.Changes).FileName);
        Assert.EndsWith("file rex.png", Assert.Single(deleted.Changes).ToString());
    }

    [Fact]
    public async Task A_version_written_before_file_names_were_kept_still_reads_and_takes_new_named_images()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var cat = await StoredAsync(store, 1, "cat");
        // Version 1 as the store wrote it before entries had a file name.
        await File.WriteAllTextAsync(Path.Combine(store.Root, "versions", "000001.json"), $$"""
            {"version": 1, "createdUtc": "2026-11-30T10:00:00+00:00", "source": "drop:old", "added": 1, "changes": [],
             "images": [{"sha256": "{{cat.Sha256}}", "label": "cat", "format": "png", "width": 16, "height": 16, "source": "drop:old"}]}
            """);
        var dog = await StoredAsync(store, 2, "dog") with { FileName = "rex.png" };

        var next = await store.CommitAsync([dog], "drop:new");

        Assert.Null(Assert.Single(store.Get(1)!.Images).FileName);
        Assert.Equal(new Dictionary<string, string?> { [cat.Sha256] = null, [dog.Sha256] = "rex.png" },
            next.Images.ToDictionary(i => i.Sha256, i => i.FileName));
    }

    [Theory]
    [InlineData("missing", "dog", "is not in the latest dataset version")]
    [InlineData("cat", "cat", "is labelled 'cat' already")]
    [InlineData("cat", "a/b", "cannot be a label")]
    public async Task A_change_that_cannot_apply_is_refused_with_the_reason_and_writes_no_version(string image, string label, string reason)
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var cat = await StoredAsync(store, 1, "cat");
        await store.CommitAsync([cat], "drop:a");

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            store.ChangeAsync(image == "cat" ? cat.Sha256 : new string('0', 64), label, "edit:test"));

        Assert.Contains(reason, error.Message);
        Assert.Equal([1], store.Versions());
    }

    [Fact]
    public async Task Temporary_files_left_by_a_crash_are_not_versions_or_images()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        await store.CommitAsync([await StoredAsync(store, 1, "cat")], "drop:a");
        File.WriteAllText(Path.Combine(store.Root, "versions", "000002.json.tmp-0123456789abcdef"), "{ half a manifest");
        var leftover = store.PathOf(new string('a', 64), "png") + ".tmp-0123";
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        File.WriteAllText(leftover, "half an image");

        var reopened = new DatasetStore(store.Root);
        var next = await reopened.CommitAsync([await StoredAsync(reopened, 2, "dog")], "drop:b");

        Assert.Equal([1, 2], reopened.Versions());
        Assert.Equal(2, next.Version);
        Assert.Equal(2, next.Images.Count);
    }

    [Fact]
    public async Task Committing_an_image_that_was_not_stored_fails_and_writes_no_version()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));

        await Assert.ThrowsAsync<PipelineException>(() => store.CommitAsync([new DatasetEntry(new string('b', 64), "cat", "png", 16, 16)], "drop:a"));

        Assert.Empty(store.Versions());
    }

    [Fact]
    public async Task Storing_the_same_image_twice_keeps_one_file()
    {
        var store = new DatasetStore(Path.Combine(_root, "datasets"));
        var first = await StoredAsync(store, 1, "cat");
        await StoredAsync(store, 1, "dog");

        Assert.Single(Directory.EnumerateFiles(Path.Combine(store.Root, "images"), "*", SearchOption.AllDirectories));
        Assert.True(File.Exists(store.PathOf(first.Sha256, "png")));
    }
}
