using Pipeline.Storage;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Storage;

/// <summary>The one temporary-name scheme and the folder swap that never leaves the name missing.</summary>
[Trait("Kind", "Unit")]
public sealed class AtomicFolderTests
{
    private readonly string _root = RepositoryPaths.NewTempFolder("atomic-folder");

    [Fact]
    public void A_temporary_name_sits_beside_its_destination_hidden_and_is_recognised_and_other_names_are_not()
    {
        var destination = Path.Combine(_root, "model");

        var temp = AtomicFile.TempPathFor(destination);

        Assert.Equal(_root, Path.GetDirectoryName(temp));
        Assert.StartsWith(".model.tmp-", Path.GetFileName(temp), StringComparison.Ordinal);
        Assert.NotEqual(temp, AtomicFile.TempPathFor(destination));
        Assert.True(AtomicFile.IsTemporary(temp));
        Assert.False(AtomicFile.IsTemporary(destination));
        Assert.False(AtomicFile.IsTemporary(Path.Combine(_root, "photo.tmp")));
        Assert.False(AtomicFile.IsTemporary(Path.Combine(_root, ".model.tmp-notahexsuffix")));
    }

    [Fact]
    public void Publishing_over_a_folder_replaces_its_content_and_leaves_no_temporary_behind()
    {
        var destination = Path.Combine(_root, "model");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "old.txt"), "old");
        var staging = AtomicFile.TempPathFor(destination);
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "new.txt"), "new");

        AtomicFolder.Publish(staging, destination);

        Assert.Equal(["new.txt"], Directory.EnumerateFiles(destination).Select(Path.GetFileName));
        Assert.False(Directory.Exists(staging));
        Assert.Empty(AtomicFile.TemporariesOf(destination));
    }

    [Fact]
    public async Task A_reader_never_finds_the_folder_missing_while_it_is_replaced_again_and_again()
    {
        var destination = Path.Combine(_root, "model");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "model.json"), "0");
        using var stop = new CancellationTokenSource();
        var misses = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                if (!File.Exists(Path.Combine(destination, "model.json"))) Interlocked.Increment(ref misses);
        });

        for (var i = 1; i <= 300; i++)
        {
            var staging = AtomicFile.TempPathFor(destination);
            Directory.CreateDirectory(staging);
            File.WriteAllText(Path.Combine(staging, "model.json"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            AtomicFolder.Publish(staging, destination);
        }

        await stop.CancelAsync();
        await reader;
        Assert.Equal(0, misses);
        Assert.Equal("300", File.ReadAllText(Path.Combine(destination, "model.json")));
    }
}
