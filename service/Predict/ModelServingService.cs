using Pipeline.Promotion;
using Pipeline.Registry;

namespace Pipeline.Service.Predict;

/// <summary>
/// Keeps <see cref="ServingModel"/> in step with the registry's <c>current.json</c>: loads it at start-up, takes the
/// already loaded model from a promotion in this process (<see cref="SwapAsync"/>, called by
/// <see cref="ModelPromoter"/>), and polls, so that a promotion made by another instance sharing the data root is
/// picked up too. Promotion itself (load, decide, record) is the pipeline's <see cref="ModelPromoter"/>.
/// </summary>
public sealed class ModelServingService(
    ModelRegistry registry,
    PipelineEnvironment pipeline,
    ServingModel serving,
    ILogger<ModelServingService> logger) : BackgroundService, IServingSwap
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Why the service is not ready, or null when a model serves or none exists yet.</summary>
    public string? LoadError { get; private set; }

    public IServedModel? Lease(int version)
    {
        var lease = serving.Acquire();
        if (lease?.Version == version) return lease;
        lease?.Dispose();
        return null;
    }

    public async Task SwapAsync(ClassifierModel model, int version, CancellationToken ct)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (serving.Version == version)
            {
                model.Dispose();
                return;
            }

            serving.Swap(model, version);
            LoadError = null;
            logger.LogInformation("Serving model version {Version} ({Architecture}, macro accuracy {MacroAccuracy:0.000})",
                version, model.Manifest.Architecture, model.Manifest.Metrics.MacroAccuracy);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = registry.Current();
            if (current is null || current.Version == serving.Version) return;
            var model = await ClassifierModel.LoadAsync(current.Folder, pipeline.Backbones, pipeline.Sessions, ct);
            serving.Swap(model, current.Version);
            LoadError = null;
            logger.LogInformation("Serving model version {Version} ({Architecture}, macro accuracy {MacroAccuracy:0.000})",
                current.Version, current.Manifest.Architecture, current.Manifest.Metrics.MacroAccuracy);
        }
        catch (PipelineException e)
        {
            LoadError = e.Message;
            logger.LogError(e, "The current model could not be loaded; the previous one keeps serving");
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            await RefreshAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
