using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
// WebApplicationFactory needs a type of the service's assembly, which it runs the entry point of; Program is not
// usable by name (top-level statements, and the bench tool has its own Program), so a public type beside it stands in.
using ServiceAssembly = Pipeline.Service.Hosting.PipelineOptions;

namespace Pipeline.Tests.Support;

/// <summary>
/// The service's own composition (its entry point) hosted inside the test process by <see cref="WebApplicationFactory{T}"/>,
/// on real Kestrel sockets on loopback, with the same configuration <see cref="ServiceProcess"/> gives a child process.
/// Seconds cheaper to start than a process; used where the HTTP contract is the point, not the process (kill,
/// restart, many workers and the browser walk keep <see cref="ServiceProcess"/>).
/// </summary>
internal sealed class InProcessService : IRunningService
{
    // Hangfire.AspNetCore configures process-wide statics (JobStorage.Current, JobActivator.Current) and pins each
    // host's own copies in its container on first resolution: hosts start one at a time so that every host pins its
    // own storage, not the one the next host just made current.
    private static readonly SemaphoreSlim StartGate = new(1, 1);

    private readonly WebApplicationFactory<ServiceAssembly> _root;
    private readonly WebApplicationFactory<ServiceAssembly> _factory;
    private readonly CapturedLog _log;

    private InProcessService(WebApplicationFactory<ServiceAssembly> root, WebApplicationFactory<ServiceAssembly> factory, CapturedLog log,
        string dataRoot)
    {
        _root = root;
        _factory = factory;
        _log = log;
        DataRoot = dataRoot;
    }

    public string DataRoot { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Whether the host stopped (the in-process counterpart of a process that exited).</summary>
    public bool HasExited => _factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.IsCancellationRequested;

    /// <summary>Everything the service logged so far, for waits and failure messages.</summary>
    public string Output => _log.Text;

    public IServiceProvider Services => _factory.Services;

    /// <inheritdoc cref="ServiceProcess.StartAsync"/>
    public static async Task<InProcessService> StartAsync(string dataRoot, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Pipeline:DataRoot"] = dataRoot,
            ["Pipeline:BackbonesFolder"] = Path.Combine(RepositoryPaths.SharedDataRoot, "backbones"),
            ["Pipeline:FeatureCacheFolder"] = Path.Combine(RepositoryPaths.SharedDataRoot, "features"),
            ["Pipeline:SampleData"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;

        var log = new CapturedLog();
        // Disposing the root factory disposes the configured one derived from it.
        var root = new WebApplicationFactory<ServiceAssembly>();
        var factory = root.WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            // As the child process, which starts in the repository root.
            web.UseContentRoot(RepositoryPaths.Root);
            // Settings reach the entry point as command-line arguments, so the composition sees them while it is built.
            foreach (var (key, value) in all)
                if (value is not null) web.UseSetting(key, value);
            web.ConfigureLogging(logging => logging.ClearProviders().AddProvider(log));
        });
        var service = new InProcessService(root, factory, log, dataRoot);
        await StartGate.WaitAsync();
        try
        {
            // Kestrel binds the configured urls (port 0: a free port), as in the process.
            factory.UseKestrel();
            factory.StartServer();
            _ = factory.Services.GetService<JobStorage>();
            _ = factory.Services.GetService<JobActivator>();
            _ = factory.Services.GetService<IBackgroundJobClient>();
        }
        catch (Exception e)
        {
            await root.DisposeAsync();
            throw new InvalidOperationException($"The in-process service did not start: {e.Message}\n{log.Text}", e);
        }
        finally
        {
            StartGate.Release();
        }

        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        service.BaseAddress = new Uri(addresses.First(a => a.Contains("127.0.0.1")));
        service.Client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await _root.DisposeAsync();
    }
}
