using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.Tests.Support;

/// <summary>
/// The real service executable on a free loopback port, as a child process, so that tests see exactly what users
/// get and can kill it mid-work. Backbones and the feature cache come from the shared test data root unless a test
/// sets its own.
/// </summary>
internal sealed partial class ServiceProcess : IRunningService
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, string dataRoot)
    {
        _process = process;
        DataRoot = dataRoot;
    }

    public string DataRoot { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the service printed so far (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <param name="dataRoot">The service's <c>Pipeline:DataRoot</c>.</param>
    /// <param name="settings">Extra configuration as <c>key=value</c> (e.g. <c>Pipeline:SampleData=false</c>).</param>
    public static async Task<ServiceProcess> StartAsync(string dataRoot, IReadOnlyDictionary<string, string?>? settings = null,
        TimeSpan? startTimeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pipeline.Service.dll"));
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Pipeline:DataRoot"] = dataRoot,
            ["Pipeline:BackbonesFolder"] = Path.Combine(RepositoryPaths.SharedDataRoot, "backbones"),
            ["Pipeline:FeatureCacheFolder"] = Path.Combine(RepositoryPaths.SharedDataRoot, "features"),
            ["Pipeline:SampleData"] = "false",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        foreach (var (key, value) in all)
            if (value is not null) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";

        var process = Process.Start(start)!;
        var service = new ServiceProcess(process, dataRoot);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            service._output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var timeout = Task.Delay(startTimeout ?? TimeSpan.FromMinutes(3));
        var first = await Task.WhenAny(listening.Task, exited, timeout);
        if (first != listening.Task)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException(
                $"The service did not start listening ({(first == exited ? "it exited" : "timeout")}):\n{service.Output}");
        }

        service.BaseAddress = await listening.Task;
        service.Client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        return service;
    }

    /// <summary>Kills the process at once, as a crash or power cut would: no graceful shutdown.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
