namespace Pipeline.Bench;

/// <summary>Latencies of one load level: every request's milliseconds, and the wall time they took together.</summary>
public sealed record LoadResult(int Concurrency, IReadOnlyList<double> Milliseconds, TimeSpan Wall, int Failures)
{
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);
    public double RequestsPerSecond => Milliseconds.Count / Wall.TotalSeconds;

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0) return double.NaN;
        var sorted = Milliseconds.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
