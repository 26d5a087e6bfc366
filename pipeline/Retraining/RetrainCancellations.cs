using System.Collections.Concurrent;

namespace Pipeline.Retraining;

/// <summary>
/// One cancellation source per retrain in this process: superseding a retrain cancels its running jobs (candidates and
/// evaluation), so older work stops early instead of finishing a model nobody will use.
/// </summary>
/// <remarks>
/// In-process only: a job in another worker process sees the supersede when it next reads the record (at its start,
/// and when <see cref="RetrainSteps"/> records its outcome, which a superseded record ignores).
/// </remarks>
public sealed class RetrainCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _sources = new();

    public CancellationToken TokenFor(string retrainId) => _sources.GetOrAdd(retrainId, _ => new CancellationTokenSource()).Token;

    public void Cancel(string retrainId)
    {
        if (_sources.TryGetValue(retrainId, out var source)) source.Cancel();
    }
}
