using System.Net.Http.Json;
using Pipeline.Datasets.Intake;
using Pipeline.Storage;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Drops;

/// <summary>
/// The service on its own temporary data root, tuned for quick drops, with ways to wait for them. Hosted in the test
/// process (intake is the point, not the process) unless a test kills it: <see cref="StartProcessAsync"/>.
/// </summary>
internal sealed class DropsService : IAsyncDisposable
{
    private DropsService(IRunningService service, string root)
    {
        Service = service;
        Root = root;
    }

    public IRunningService Service { get; }
    public HttpClient Client => Service.Client;

    /// <summary>The test's folder; the data root is <c>data/</c> under it, so writes outside the data root can be seen.</summary>
    public string Root { get; }

    public string DataRoot => Service.DataRoot;
    public string Drops => Path.Combine(DataRoot, "drops");
    public string Quarantine(string id) => Path.Combine(DataRoot, "quarantine", id);
    public string Processed(string id) => Path.Combine(DataRoot, "processed", id);

    public static Task<DropsService> StartAsync(string purpose, IReadOnlyDictionary<string, string?>? settings = null) =>
        RestartAsync(Path.Combine(RepositoryPaths.NewTempFolder(purpose), "data"), settings);

    /// <summary>The service as a child process, for a test that kills it (<see cref="KillAsync"/>).</summary>
    public static async Task<DropsService> StartProcessAsync(string purpose, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dataRoot = Path.Combine(RepositoryPaths.NewTempFolder(purpose), "data");
        return new DropsService(await ServiceProcess.StartAsync(dataRoot, Settings(settings)), Path.GetDirectoryName(dataRoot)!);
    }

    /// <summary>Starts the service on an existing data root, as after a crash or a restart.</summary>
    public static async Task<DropsService> RestartAsync(string dataRoot, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await InProcessService.StartAsync(dataRoot, Settings(settings)), Path.GetDirectoryName(dataRoot)!);

    /// <summary>Kills the service process at once, as a crash or power cut would.</summary>
    public Task KillAsync() => Service is ServiceProcess process
        ? process.KillAsync()
        : throw new InvalidOperationException("Only a service started by StartProcessAsync can be killed.");

    private static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Pipeline:DropQuietSeconds"] = "1",
            ["Pipeline:Drops:RescanSeconds"] = "0.5",
            // New dataset versions start a retrain; these tests are about intake, so keep that retrain cheap.
            ["Pipeline:Architectures:0"] = "RawPixels",
            ["Pipeline:RetrainCron"] = "",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return all;
    }

    public async Task<IReadOnlyList<DropRecord>> ListAsync() =>
        (await Client.GetFromJsonAsync<List<DropRecord>>("/api/drops", PipelineJson.Options))!;

    public async Task<DropRecord> GetAsync(string id) =>
        (await Client.GetFromJsonAsync<DropRecord>($"/api/drops/{id}", PipelineJson.Options))!;

    /// <summary>Polls until a drop named <paramref name="name"/> is ingested or rejected.</summary>
    public Task<DropRecord> FinishedAsync(string name, TimeSpan? timeout = null) =>
        UntilAsync(async () => (await ListAsync()).FirstOrDefault(r => r.Name == name && r.IsFinished), $"drop '{name}' finished", timeout);

    public Task<DropRecord> FinishedByIdAsync(string id, TimeSpan? timeout = null) =>
        UntilAsync(async () => await GetAsync(id) is { IsFinished: true } r ? r : null, $"drop {id} finished", timeout);

    /// <summary>Polls <paramref name="probe"/> until it gives a value, or fails with what the service printed.</summary>
    public Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class =>
        Poll.UntilAsync(async () => Service.HasExited
                ? throw new InvalidOperationException($"The service exited while waiting for {what}:\n{Service.Output}")
                : await probe(),
            timeout ?? TimeSpan.FromSeconds(30), what, () => $"Service output:\n{Service.Output}");

    /// <summary>Writes a folder drop under a hidden name and renames it into the watched folder, as a careful copier would.</summary>
    public void Drop(string name, IReadOnlyDictionary<string, byte[]> files)
    {
        var staging = Path.Combine(Drops, "." + name);
        DropImages.Write(staging, files);
        Directory.Move(staging, Path.Combine(Drops, name));
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
