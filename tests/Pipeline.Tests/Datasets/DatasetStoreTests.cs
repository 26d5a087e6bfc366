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
