using Pipeline.Retraining;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Pipeline.Datasets.Store;

namespace Pipeline.Service.Jobs;

/// <summary>
/// Turns the ways a new dataset version becomes known into retrain requests, one at a time: start-up reconciliation,
/// <see cref="DatasetStore.VersionCommitted"/> in this process, and a cheap periodic rescan of the store's versions
/// that notices a version committed by another process (a CLI, a test, a second instance's intake).
/// </summary>
public sealed class RetrainTriggers : BackgroundService
{
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DatasetStore _datasets;
    private readonly RetrainCoordinator _coordinator;
    private readonly JobsStartup _startup;
    private readonly IOptions<JobsOptions> _options;
    private readonly ILogger<RetrainTriggers> _logger;
    private int _lastSeen;

    public RetrainTriggers(DatasetStore datasets, RetrainCoordinator coordinator, JobsStartup startup, IOptions<JobsOptions> options,
        ILogger<RetrainTriggers> logger)
    {
        _datasets = datasets;
        _coordinator = coordinator;
        _startup = startup;
        _options = options;
        _logger = logger;
        _datasets.VersionCommitted += OnCommitted;
    }

    private void OnCommitted(DatasetVersion version)
    {
        Volatile.Write(ref _lastSeen, Math.Max(Volatile.Read(ref _lastSeen), version.Version));
        _requests.Writer.TryWrite("commit");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Reconciliation: unfinished retrains get their jobs back, and a version newer than the last retrain (sample
        // data seeded on first run, or committed while the service was down) is retrained. Orphaned jobs are replaced
        // first. Yielding first keeps even the synchronous part of this off the host's start.
        await Task.Yield();
        await _startup.Completion.WaitAsync(stoppingToken);
        await _coordinator.ResumeAsync(stoppingToken);
        _lastSeen = _datasets.Versions() is { Count: > 0 } versions ? versions[^1] : 0;
        _requests.Writer.TryWrite("startup");
        var rescan = RescanAsync(stoppingToken);

        await foreach (var trigger in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await _coordinator.RequestLatestAsync(trigger, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A storage that failed (the data root's or Hangfire's) may take the request later: it is made again
                // after the storage retry delay, unless another trigger gets there first. The error is not hidden.
                _logger.LogError(e, "Retrain request ({Trigger}) failed; trying again in {Seconds} s", trigger,
                    _options.Value.StorageRetrySeconds);
                _ = RequestAgainLaterAsync(trigger, stoppingToken);
            }
        }

        await rescan;
    }

    private async Task RequestAgainLaterAsync(string trigger, CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.Value.StorageRetrySeconds), ct);
            _requests.Writer.TryWrite(trigger.EndsWith(" (retry)", StringComparison.Ordinal) ? trigger : $"{trigger} (retry)");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RescanAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.Value.RescanSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var latest = _datasets.Versions() is { Count: > 0 } versions ? versions[^1] : 0;
                if (latest <= Volatile.Read(ref _lastSeen)) continue;
                Volatile.Write(ref _lastSeen, latest);
                _logger.LogInformation("Rescan found dataset version {DatasetVersion}", latest);
                _requests.Writer.TryWrite("rescan");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override void Dispose()
    {
        _datasets.VersionCommitted -= OnCommitted;
        base.Dispose();
    }
}
