using Pipeline.Registry;

namespace Pipeline.Service.Predict;

/// <summary>
/// Keeps <see cref="ServingModel"/> in step with the registry's <c>current.json</c>: loads it at start-up, again right
/// after a promotion in this process (<see cref="RefreshAsync"/>), and by polling, so that a promotion made by another
/// instance sharing the data root is picked up too.
/// </summary>
public sealed class ModelServingService(
    ModelRegistry registry,
    PipelineEnvironment pipeline,
    ServingModel serving,
    ILogger<ModelServingService> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (int Version, ClassifierModel Model)? _preloaded;

    /// <summary>Why the service is not ready, or null when a model serves or none exists yet.</summary>
    public string? LoadError { get; private set; }

    /// <summary>
    /// The one way a model is promoted: it is loaded first, so that a model that cannot be loaded is never promoted and
    /// the registry never names a model that predict is still loading; then <c>current.json</c> is rewritten and the
    /// loaded model swapped in at once.
    /// </summary>
    /// <exception cref="PipelineException">The model cannot be loaded; nothing was promoted.</exception>
    public async Task PromoteAsync(RegisteredModel model, PromotionDecision decision, CancellationToken ct)
    {
        await PreloadAsync(model, ct);
        await registry.PromoteAsync(model.Version, decision, ct);
        await RefreshAsync(ct);
    }

    private async Task PreloadAsync(RegisteredModel model, CancellationToken ct)
    {
        var loaded = await ClassifierModel.LoadAsync(model.Folder, pipeline.Backbones, pipeline.Sessions, ct);
        await _gate.WaitAsync(ct);
        try
        {
            _preloaded?.Model.Dispose();
            _preloaded = (model.Version, loaded);
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
            var preloaded = _preloaded;
            _preloaded = null;
            var model = preloaded is { } p && p.Version == current.Version
                ? p.Model
                : await ClassifierModel.LoadAsync(current.Folder, pipeline.Backbones, pipeline.Sessions, ct);
            if (preloaded is { } unused && unused.Model != model) unused.Model.Dispose();
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
