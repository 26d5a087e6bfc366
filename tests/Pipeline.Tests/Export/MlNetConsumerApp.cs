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

        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(modelZip);
        foreach (var image in images) start.ArgumentList.Add(image);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample app did not finish within {timeout}: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"The sample app failed ({process.ExitCode}): {await stderr}");
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => new Answer(f[0], f[1], float.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }
}
