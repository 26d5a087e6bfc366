using System.Diagnostics;
using Pipeline.Datasets;
using Pipeline.Datasets.Intake;
using Pipeline.Tests.Drops;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Datasets;

/// <summary>
/// Training folders (<see cref="LabelledFolderScanner"/>) and drops (<see cref="DropValidator"/>) are walked by one
/// walker: the same layout rules and reasons, and links followed only in a training folder.
/// </summary>
[Trait("Kind", "Unit")]
public class LabelledFolderWalkerTests
{
    private readonly string _root = RepositoryPaths.NewTempFolder("walker");

    [Fact]
    public async Task Training_folder_and_drop_get_the_same_images_and_the_same_reasons()
    {
        var folder = Path.Combine(_root, "pets");
        DropImages.Write(folder, new Dictionary<string, byte[]>
        {
            ["cat/a.png"] = DropImages.Png(1), ["cat/b.png"] = DropImages.Png(2), ["dog/c.png"] = DropImages.Png(3),
            ["cat/nested/deep.png"] = DropImages.Png(4), ["cat/nested/deeper/deepest.png"] = DropImages.Png(5),
            ["readme.txt"] = "labels are folders"u8.ToArray(),
            ["dog/notes.jpg"] = "not an image"u8.ToArray(),
        });
        Directory.CreateDirectory(Path.Combine(folder, "bird"));

        var (trainImages, trainRejected) = await AsTrainingFolderAsync(folder);
        var (dropImages, dropRejected) = await AsDropAsync(folder);

        Assert.Equal(["cat/a.png cat", "cat/b.png cat", "dog/c.png dog"], trainImages);
        Assert.Equal(trainImages, dropImages);
        Assert.Equal(["cat/nested/deep.png", "cat/nested/deeper/deepest.png", "dog/notes.jpg", "readme.txt"],
            trainRejected.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("wrong depth", trainRejected["cat/nested/deep.png"]);
        Assert.Contains("wrong depth", trainRejected["cat/nested/deeper/deepest.png"]);
        Assert.Contains("not a supported image", trainRejected["dog/notes.jpg"]);
        Assert.Contains("not inside a label folder", trainRejected["readme.txt"]);
        Assert.Equal(trainRejected, dropRejected);
    }

    [Fact]
    public async Task Training_folder_follows_links_and_a_drop_rejects_them()
    {
        var elsewhere = Path.Combine(_root, "elsewhere");
        DropImages.Write(elsewhere, new Dictionary<string, byte[]>
        {
            ["dogs/c.png"] = DropImages.Png(3), ["linked.png"] = DropImages.Png(4), ["hard.png"] = DropImages.Png(5),
        });
        var folder = Path.Combine(_root, "linked");
        DropImages.Write(folder, new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1) });
        Directory.CreateSymbolicLink(Path.Combine(folder, "dog"), Path.Combine(elsewhere, "dogs"));
        File.CreateSymbolicLink(Path.Combine(folder, "cat", "linked.png"), Path.Combine(elsewhere, "linked.png"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "cat", "loop"), folder);
        using (var ln = Process.Start("ln", [Path.Combine(elsewhere, "hard.png"), Path.Combine(folder, "cat", "hard.png")]))
            await ln.WaitForExitAsync();

        var (trainImages, trainRejected) = await AsTrainingFolderAsync(folder);
        var (dropImages, dropRejected) = await AsDropAsync(folder);

        Assert.Equal(["cat/a.png cat", "cat/hard.png cat", "cat/linked.png cat", "dog/c.png dog"], trainImages);
        Assert.Contains("already walked", Assert.Single(trainRejected, r => r.Key == "cat/loop").Value);
        Assert.Single(trainRejected);

        Assert.Equal(["cat/a.png cat"], dropImages);
        Assert.Equal(["cat/hard.png", "cat/linked.png", "cat/loop", "dog"], dropRejected.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("2 hard links", dropRejected["cat/hard.png"]);
        Assert.All(new[] { "cat/linked.png", "cat/loop", "dog" }, path => Assert.Contains("symbolic link", dropRejected[path]));
    }

    private static async Task<(List<string> Images, Dictionary<string, string> Rejected)> AsTrainingFolderAsync(string folder)
    {
        var scan = await LabelledFolderScanner.ScanAsync(folder, new ScanOptions());
        string Relative(string path) => Path.GetRelativePath(folder, path);
        return (scan.Images.Select(i => $"{Relative(i.Path)} {i.Label}").ToList(),
            scan.Rejected.ToDictionary(r => Relative(r.Path), r => r.Reason));
    }

    private static async Task<(List<string> Images, Dictionary<string, string> Rejected)> AsDropAsync(string folder)
    {
        var validation = await DropValidator.ValidateAsync(folder, dataset: null, new ScanOptions());
        return (validation.Accepted.Select(a => $"{a.RelativePath} {a.Image.Label}").ToList(),
            validation.Rejected.ToDictionary(r => r.Path, r => r.Reason));
    }
}
