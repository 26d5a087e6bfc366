namespace Pipeline.Bench;

/// <summary>
/// One numbered section of docs/BENCHMARKS.md: what was measured and how (<see cref="Method"/>), its tables, and the
/// verdict on its target with the reason when it is missed.
/// </summary>
public sealed record BenchSection(string Title, string Method, IReadOnlyList<BenchTable> Tables, IReadOnlyList<string> Findings)
{
    /// <summary>The section's number in the issue and the report, kept when only some sections run.</summary>
    public int Number { get; init; }
}
