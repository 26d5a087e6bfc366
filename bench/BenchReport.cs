namespace Pipeline.Bench;

/// <summary>Everything one <c>bench</c> run measured, in the order it is written.</summary>
public sealed record BenchReport(string Command, MachineSummary Machine, bool Quick, TimeSpan Elapsed,
    IReadOnlyList<BenchSection> Sections, double LoadAverageAtEnd);
