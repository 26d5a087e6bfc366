using System.Collections.Concurrent;

namespace Pipeline.Service.Jobs;

/// <summary>
/// One cancellation source per retrain in this process: superseding a retrain cancels its running candidate jobs, so
/// older work stops early instead of finishing a model nobody will use.
/// </summary>
public sealed class RetrainCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _sources = new();

    public CancellationToken TokenFor(string retrainId) => _sources.GetOrAdd(retrainId, _ => new CancellationTokenSource()).Token;

    public void Cancel(string retrainId)
    {
        if (_sources.TryGetValue(retrainId, out var source)) source.Cancel();
    }
}
