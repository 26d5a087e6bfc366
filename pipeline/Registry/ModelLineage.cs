namespace Pipeline.Registry;

/// <summary>Where a model came from, enough to reproduce it.</summary>
public sealed record ModelLineage
{
    public required string DataSource { get; init; }
    public int? DatasetVersion { get; init; }
    public required int Seed { get; init; }
    public required double TestFraction { get; init; }
    public required IReadOnlyList<string> TrainImages { get; init; }
    public required IReadOnlyList<string> TestImages { get; init; }
    public required IReadOnlyDictionary<string, string> Packages { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
}
