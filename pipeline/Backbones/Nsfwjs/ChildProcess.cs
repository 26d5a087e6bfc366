using System.ComponentModel;
using System.Diagnostics;

namespace Pipeline.Backbones.Nsfwjs;

/// <summary>
/// Runs a command to completion with its output captured, and turns every failure (not found, non-zero exit) into
/// an <see cref="ExternalToolException"/> that carries the command and the end of its stderr.
/// </summary>
internal static class ChildProcess
{
    // Enough of stderr to show a stack trace or npm's error block, without flooding a log line.
    private const int StderrTailLength = 4000;

    public static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments,
        string workingDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = $"{fileName} {string.Join(' ', arguments)}";
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ExternalToolException(
                $"Could not start '{fileName}' ({e.Message}). Install Node.js 20 or newer (it brings npm) and make " +
                $"sure '{fileName}' is on PATH. Command: {commandLine}", e);
        }

        // Both pipes are drained concurrently: a child that fills one while we wait on the other would deadlock.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // npm and node spawn children of their own; leaving them running would keep files locked.
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the cancellation and the kill: nothing is left to stop.
            }

            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var tail = errors.Length > StderrTailLength ? "..." + errors[^StderrTailLength..] : errors;
            throw new ExternalToolException(
                $"'{commandLine}' in '{workingDirectory}' exited with code {process.ExitCode}: {tail.Trim()}");
        }

        return output;
    }
}
