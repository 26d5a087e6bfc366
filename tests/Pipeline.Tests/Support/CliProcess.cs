using System.Diagnostics;

namespace Pipeline.Tests.Support;

/// <summary>Runs the real service executable with a CLI verb (or another built program) and captures what it printed.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Task<Result> RunAsync(TimeSpan timeout, params string[] args) =>
        RunDllAsync(Path.Combine(AppContext.BaseDirectory, "Pipeline.Service.dll"), timeout, args);

    /// <summary>The bench tool (bench/), copied next to the tests by its project reference.</summary>
    public static Task<Result> RunBenchAsync(TimeSpan timeout, params string[] args) =>
        RunDllAsync(Path.Combine(AppContext.BaseDirectory, "Pipeline.Bench.dll"), timeout, args);

    /// <summary>Runs any built .NET program (<c>dotnet DLL args...</c>), such as a sample app.</summary>
    public static async Task<Result> RunDllAsync(string dll, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
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
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {timeout}. stderr: {await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
