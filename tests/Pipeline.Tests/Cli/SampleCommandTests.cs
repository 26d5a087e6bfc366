using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>
/// <c>sample</c> is how scripts/backbones-eval.sh rebuilds the data sets named in docs/BACKBONES.md, so it must pick
/// the same files on every run and only from the categories asked for.
/// </summary>
[Trait("Kind", "Integration")]
public class SampleCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static string[] RelativeFiles(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Sample_picks_the_same_files_every_time_from_the_requested_categories_only()
    {
        var first = RepositoryPaths.NewTempFolder("sample-first");
        var second = RepositoryPaths.NewTempFolder("sample-second");

        var a = await CliProcess.RunAsync(Timeout, "sample", "--out", first, "--per-label", "3", "--categories", "tools,shapes");
        var b = await CliProcess.RunAsync(Timeout, "sample", "--out", second, "--per-label", "3", "--categories", "tools,shapes");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        Assert.Equal(["shapes", "tools"], Directory.GetDirectories(first).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var files = RelativeFiles(first);
        Assert.Equal(6, files.Length);
        Assert.Equal(files, RelativeFiles(second));
        Assert.Contains("6 image(s)", a.StandardOutput);
    }

    [Fact]
    public async Task Sample_of_an_unknown_category_says_so()
    {
        var folder = RepositoryPaths.NewTempFolder("sample-unknown");

        var result = await CliProcess.RunAsync(Timeout, "sample", "--out", folder, "--categories", "dinosaurs");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no category 'dinosaurs'", Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:")));
    }
}
