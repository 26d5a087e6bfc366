using System.Diagnostics;
using System.Globalization;
using Pipeline.Progress;

namespace Pipeline.Training;

/// <summary>
/// Cross-validation's progress: one unit per head fit (fold × L2 value), reported as each fit ends, with the time left
/// estimated from the mean time per fit so far. Fits of parallel folds report through one lock, so the counts a
/// listener sees only grow.
/// </summary>
internal sealed class FitProgress(IProgress<ProgressUpdate>? progress, string candidate, int folds, IReadOnlyList<float> grid, Stopwatch clock)
{
    private readonly Lock _gate = new();
    private readonly int _total = folds * grid.Count;
    private int _done;

    public void Start() => progress?.Report(new ProgressUpdate(CrossValidator.ProgressStage, Prefix + "cross-validation", 0, _total));

    /// <summary>One fit of <paramref name="fold"/> at <paramref name="l2"/> is done.</summary>
    public void Fitted(int fold, float l2) => Advance(1,
        $"fold {fold + 1}/{folds}, L2 {l2.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A fold that cannot be scored counts as done, so the total is still reached.</summary>
    public void Skipped(int fold) => Advance(grid.Count, $"fold {fold + 1}/{folds} skipped");

    private string Prefix => candidate.Length == 0 ? "" : candidate + ": ";

    private void Advance(int fits, string what)
    {
        if (progress is null) return;
        lock (_gate)
        {
            _done += fits;
            var left = _done >= _total ? 0 : clock.Elapsed.TotalSeconds / _done * (_total - _done);
            progress.Report(new ProgressUpdate(CrossValidator.ProgressStage,
                $"{Prefix}cross-validation {what}, about {Math.Ceiling(left).ToString(CultureInfo.InvariantCulture)} s left", _done, _total));
        }
    }
}
