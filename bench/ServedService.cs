using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Bench;

/// <summary>
/// This build's service executable serving a data root on a free loopback port, as a child process, so the serving
/// numbers include everything a client sees: Kestrel, routing, the predict endpoint, the pooled model.
/// </summary>
public sealed partial class ServedService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServedService(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="settings">More configuration as <c>key=value</c> (roles, PostgreSQL, architectures).</param>
    public static async Task<ServedService> StartAsync(string dataRoot, string backbonesFolder, string featuresFolder,
        TimeSpan timeout, CancellationToken ct, IEnumerable<string>? settings = null)
    {
        var start = ChildExecutable.Service([
            "--urls=http://127.0.0.1:0",
            $"--Pipeline:DataRoot={dataRoot}",
            $"--Pipeline:BackbonesFolder={backbonesFolder}",
            $"--Pipeline:FeatureCacheFolder={featuresFolder}",
            "--Pipeline:SampleData=false",
            "--Pipeline:RetrainCron=",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            .. (settings ?? []).Select(s => "--" + s),
        ]);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var service = new ServedService(Process.Start(start)!);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (service._output) service._output.AppendLine(line);
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        }

        service._process.OutputDataReceived += (_, e) => OnLine(e.Data);
        service._process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();

        var first = await Task.WhenAny(listening.Task, service._process.WaitForExitAsync(ct), Task.Delay(timeout, ct));
        if (first != listening.Task)
        {
            await service.DisposeAsync();
            throw new PipelineException($"The service did not start listening within {timeout}:\n{service.Output}");
        }

        service.BaseAddress = await listening.Task;
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
