using Pipeline.Tests.Support;

namespace Pipeline.Tests.Export;

/// <summary>The sample app samples/MlNetConsumer, as built alongside the tests, run as its own process.</summary>
internal static class MlNetConsumerApp
{
    public sealed record Answer(string Image, string Label, float Score);

    public static async Task<IReadOnlyList<Answer>> RunAsync(string modelZip, IReadOnlyList<string> images, TimeSpan timeout)
    {
        // Same configuration and framework folders as the tests' own binaries (bin/<Configuration>/<tfm>/).
        var relative = Path.GetRelativePath(Path.Combine(RepositoryPaths.Root, "tests", "Pipeline.Tests"), AppContext.BaseDirectory);
        var dll = Path.Combine(RepositoryPaths.Root, "samples", "MlNetConsumer", relative, "MlNetConsumer.dll");
        Assert.True(File.Exists(dll), $"The sample app is not built at {dll}.");

        var result = await CliProcess.RunDllAsync(dll, timeout, [modelZip, .. images]);
        Assert.True(result.ExitCode == 0, $"The sample app failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => new Answer(f[0], f[1], float.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }
}
