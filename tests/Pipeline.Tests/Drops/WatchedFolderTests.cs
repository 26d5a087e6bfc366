using Pipeline.Datasets.Intake;
using Pipeline.Tests.Images;
using SkiaSharp;

namespace Pipeline.Tests.Drops;

[Trait("Kind", "Integration")]
public class WatchedFolderTests
{
    [Fact]
    public async Task Drop_copied_in_slowly_is_taken_once_and_only_after_it_is_complete()
    {
        // A quiet period well above the copier's pace: on a loaded 2-core machine a 400 ms pause can stretch past 1 s,
        // and then the drop is (rightly) taken early.
        await using var service = await DropsService.StartAsync("drops-slow",
            new Dictionary<string, string?> { ["Pipeline:DropQuietSeconds"] = "4" });
        var folder = Path.Combine(service.Drops, "slow");
        var files = Enumerable.Range(0, 6).ToDictionary(i => $"{(i % 2 == 0 ? "cat" : "dog")}/{i}.png", DropImages.Png);

        foreach (var (path, bytes) in files)
        {
            DropImages.Write(folder, new Dictionary<string, byte[]> { [path] = bytes });
            // A slow copier: each file lands well inside the 4 s quiet period, so the drop must keep waiting.
            await Task.Delay(400);
            Assert.DoesNotContain(await service.ListAsync(), r => r.Name == "slow");
        }

        var record = await service.FinishedAsync("slow");

        Assert.Equal(DropState.Ingested, record.State);
        Assert.Equal(6, record.Accepted);
        Assert.Single(await service.ListAsync(), r => r.Name == "slow");
        Assert.False(Directory.Exists(folder));
        Assert.Equal(6, Directory.EnumerateFiles(Path.Combine(service.Processed(record.Id), "slow"), "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public async Task Drop_with_bad_files_quarantines_each_with_a_reason_and_keeps_the_good_images()
    {
        await using var service = await DropsService.StartAsync("drops-corpus");
        var corruptPng = PngBuilder.Build(64, 64, PngKind.Rgb8, (x, y) => new SKColor((byte)x, (byte)y, 9));
        for (int i = corruptPng.Length / 2; i < corruptPng.Length / 2 + 20; i++) corruptPng[i] ^= 0xA5;
        var bigJpeg = TestImages.Encode(TestImages.Bitmap(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), 7)), SKEncodedImageFormat.Jpeg);
        var conflicting = DropImages.Png(30);
        var corpus = new Dictionary<string, byte[]>
        {
            ["cat/good1.png"] = DropImages.Png(1),
            ["cat/good2.png"] = DropImages.Png(2),
            ["dog/good3.png"] = DropImages.Png(3),
            ["dog/good4.jpg"] = DropImages.Jpeg(4),
            ["cat/corrupt.png"] = corruptPng,
            ["cat/truncated.jpg"] = bigJpeg[..(bigJpeg.Length * 6 / 10)],
            ["dog/empty.png"] = [],
            ["dog/notes.jpg"] = "my holiday notes, saved as a .jpg by mistake\n"u8.ToArray(),
            ["cat/absurd-header.png"] = TestImages.PngClaiming(100_000, 100_000),
            ["cat/too-wide.png"] = PngBuilder.Build(40_001, 8, PngKind.Grey1, (x, _) => x % 2 == 0 ? SKColors.White : SKColors.Black),
            ["cat/good1-again.png"] = DropImages.Png(1),
            ["cat/both.png"] = conflicting,
            ["dog/both.png"] = conflicting,
            ["cat/nested/deep.png"] = DropImages.Png(5),
            ["readme.txt"] = "labels are folders"u8.ToArray(),
        };

        service.Drop("corpus", corpus);
        var record = await service.FinishedAsync("corpus");

        Assert.Equal(DropState.Ingested, record.State);
        Assert.Equal(4, record.Accepted);
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 2, ["dog"] = 2 }, record.Labels);
        Assert.Equal(1, record.DatasetVersion);
        var reasons = record.RejectedFiles.ToDictionary(r => r.Path, r => r.Reason);
        Assert.StartsWith("PNG", reasons["cat/corrupt.png"]);
        Assert.Contains("truncated", reasons["cat/truncated.jpg"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("empty", reasons["dog/empty.png"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not a supported image", reasons["dog/notes.jpg"]);
        Assert.Contains("100000x100000", reasons["cat/absurd-header.png"]);
        Assert.Contains("40001", reasons["cat/too-wide.png"]);
        Assert.Contains("duplicate of", reasons.Single(r => r.Key.StartsWith("cat/good1")).Value);
        Assert.Contains("conflicting labels: cat, dog", reasons["cat/both.png"]);
        Assert.Contains("conflicting labels: cat, dog", reasons["dog/both.png"]);
        Assert.Contains("wrong depth", reasons["cat/nested/deep.png"]);
        Assert.Contains("not inside a label folder", reasons["readme.txt"]);
        Assert.Equal(11, record.Rejected);

        // Every rejected file is in quarantine with its reason beside it; the original drop is kept whole.
        var quarantine = service.Quarantine(record.Id);
        foreach (var (path, reason) in reasons)
        {
            Assert.Equal(corpus[path], await File.ReadAllBytesAsync(Path.Combine(quarantine, path)));
            Assert.Equal(reason, (await File.ReadAllTextAsync(Path.Combine(quarantine, path + ".reason.txt"))).TrimEnd());
        }

        Assert.True(File.Exists(Path.Combine(quarantine, "reasons.json")));
        var kept = Path.Combine(service.Processed(record.Id), "corpus");
        foreach (var (path, bytes) in corpus) Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(kept, path)));
    }

    [Fact]
    public async Task Zip_with_unsafe_paths_keeps_its_good_images_and_writes_nothing_outside_the_data_root()
    {
        await using var service = await DropsService.StartAsync("drops-unsafe-zip");
        var zip = DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["photos/cat/a.png"] = DropImages.Png(1),
            ["photos/dog/b.png"] = DropImages.Png(2),
            ["photos/../../../escape.png"] = DropImages.Png(3),
            ["/tmp/absolute-drop-test.png"] = DropImages.Png(4),
        });
        File.WriteAllBytes(Path.Combine(service.Drops, "unsafe.zip"), zip);

        var record = await service.FinishedAsync("unsafe.zip");

        Assert.Equal(DropState.Ingested, record.State);
        Assert.Equal(2, record.Accepted);
        Assert.Equal(2, record.Rejected);
        Assert.All(record.RejectedFiles, r => Assert.StartsWith("unsafe path", r.Reason));
        Assert.Equal(["data"], Directory.EnumerateFileSystemEntries(service.Root).Select(Path.GetFileName));
        Assert.False(File.Exists("/tmp/absolute-drop-test.png"));
        Assert.True(File.Exists(Path.Combine(service.Quarantine(record.Id), "reasons.json")));
        Assert.True(File.Exists(Path.Combine(service.Processed(record.Id), "unsafe.zip")));
    }

    [Fact]
    public async Task Zip_bomb_is_refused_with_a_reason_and_kept_unextracted()
    {
        await using var service = await DropsService.StartAsync("drops-bomb",
            new Dictionary<string, string?> { ["Pipeline:Drops:MaxArchiveBytes"] = "1000000" });
        File.WriteAllBytes(Path.Combine(service.Drops, "bomb.zip"),
            DropImages.Zip(new Dictionary<string, byte[]> { ["cat/zeros.png"] = new byte[20_000_000] }));

        var record = await service.FinishedAsync("bomb.zip");

        Assert.Equal(DropState.Rejected, record.State);
        Assert.Contains("zip bomb", record.Reason);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(service.DataRoot, "intake"), "*.png", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(service.Processed(record.Id), "bomb.zip")));
        Assert.True(File.Exists(Path.Combine(service.Quarantine(record.Id), "reasons.json")));
    }

    [Fact]
    public async Task Image_already_in_the_dataset_under_another_label_is_rejected_naming_that_label()
    {
        await using var service = await DropsService.StartAsync("drops-conflict");
        service.Drop("first", new Dictionary<string, byte[]>
        {
            ["cat/x.png"] = DropImages.Png(1), ["cat/y.png"] = DropImages.Png(2), ["dog/w.png"] = DropImages.Png(3),
        });
        await service.FinishedAsync("first");

        service.Drop("second", new Dictionary<string, byte[]>
        {
            ["dog/x.png"] = DropImages.Png(1), ["cat/y.png"] = DropImages.Png(2), ["dog/z.png"] = DropImages.Png(4),
        });
        var second = await service.FinishedAsync("second");

        Assert.Equal(DropState.Ingested, second.State);
        Assert.Equal(1, second.Accepted);
        Assert.Equal(1, second.Duplicates);
        var rejected = Assert.Single(second.RejectedFiles);
        Assert.Equal("dog/x.png", rejected.Path);
        Assert.Contains("already in the dataset under 'cat'", rejected.Reason);
        Assert.Equal(2, second.DatasetVersion);
    }

    [Fact]
    public async Task Empty_drop_is_rejected_with_a_reason_and_a_single_label_drop_is_accepted_with_a_note()
    {
        await using var service = await DropsService.StartAsync("drops-empty");
        Directory.CreateDirectory(Path.Combine(service.Drops, "empty", "cat"));
        service.Drop("only-cats", new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1), ["cat/b.png"] = DropImages.Png(2) });

        var empty = await service.FinishedAsync("empty");
        var cats = await service.FinishedAsync("only-cats");

        Assert.Equal(DropState.Rejected, empty.State);
        Assert.Contains("the drop is empty", empty.Reason);
        Assert.Null(empty.DatasetVersion);
        Assert.Equal(DropState.Ingested, cats.State);
        Assert.Equal(2, cats.Accepted);
        Assert.NotNull(cats.DatasetVersion);
        Assert.Contains("only one label ('cat')", cats.Reason);
    }

    [Fact]
    public async Task Drop_of_only_unusable_files_is_rejected_and_its_files_are_quarantined()
    {
        await using var service = await DropsService.StartAsync("drops-unusable");
        service.Drop("junk", new Dictionary<string, byte[]> { ["cat/a.jpg"] = "text"u8.ToArray(), ["cat/b.png"] = [] });

        var junk = await service.FinishedAsync("junk");

        Assert.Equal(DropState.Rejected, junk.State);
        Assert.Contains("no usable images: all 2 files were rejected", junk.Reason);
        Assert.True(File.Exists(Path.Combine(service.Quarantine(junk.Id), "cat", "a.jpg.reason.txt")));
    }

    [Fact]
    public async Task Loose_file_in_the_watched_folder_is_rejected_as_not_a_drop_and_kept()
    {
        await using var service = await DropsService.StartAsync("drops-loose-file");
        File.WriteAllBytes(Path.Combine(service.Drops, "cat.png"), DropImages.Png(1));

        var record = await service.FinishedAsync("cat.png");

        Assert.Equal(DropState.Rejected, record.State);
        Assert.Equal(DropOrigin.Other, record.Origin);
        Assert.StartsWith("not a drop", record.Reason);
        Assert.Equal(DropImages.Png(1), File.ReadAllBytes(Path.Combine(service.Processed(record.Id), "cat.png")));
    }
}
