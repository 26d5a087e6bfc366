namespace Pipeline.Bench;

/// <summary>
/// Sizes of every measurement. The full sizes are chosen to finish in about a quarter of an hour on 2 cores; quick
/// sizes only prove that every section runs and writes its table (the smoke test), their numbers mean nothing.
/// </summary>
public sealed record BenchSettings
{
    public required string DataRoot { get; init; }
    public required string OutputPath { get; init; }
    public bool Quick { get; init; }

    /// <summary>Scratch space: generated datasets, fresh feature caches, the served data root.</summary>
    public string WorkFolder => Path.Combine(DataRoot, "bench");

    public IReadOnlyList<string> Architectures { get; init; } = ["Resnet18", "InceptionV3", "MobilenetV2"];

    /// <summary>Images per featurisation measurement (full path and bare session alike); InceptionV3 gets a third.</summary>
    public int FeaturizeImages => Quick ? 8 : 64;

    /// <summary>
    /// Interleaved rounds of every side-by-side measurement; each side keeps its best round, which is the one least
    /// disturbed by the other tenants of a shared machine.
    /// </summary>
    public int Rounds => Quick ? 1 : 5;
    public int VariantRounds => Quick ? 1 : 5;

    /// <summary>Images per ORT option variant.</summary>
    public int VariantImages => Quick ? 2 : 32;

    /// <summary>GEMM measuring time per round of the variants.</summary>
    public TimeSpan GemmDuration => TimeSpan.FromSeconds(Quick ? 0.2 : 0.6);
    public int GemmSize => Quick ? 256 : 1024;

    /// <summary>Size of the incremental-retrain dataset, the same for every backbone: a smaller one would only measure fixed costs.</summary>
    public int RetrainImages => Quick ? 48 : 2000;
    public double RetrainNewFraction => 0.05;

    /// <summary>Requests per concurrency level and architecture (at least 4 per client).</summary>
    public int ServingRequests => Quick ? 8 : 96;
    public IReadOnlyList<int> ServingConcurrency => [1, 8, 32];

    public int MemoryImages => Quick ? 48 : 10_000;

    /// <summary>Distinct real images per label for the head-trainer comparison (augmented copies would leak across the split).</summary>
    public int HeadImagesPerLabel => Quick ? 6 : 60;

    /// <summary>Images of the drop timed from drop to promoted model, with one worker process and with two.</summary>
    public int WorkersDropImages => Quick ? 48 : 1000;

    /// <summary>The PostgreSQL that the worker processes share (env <c>PIPELINE_BENCH_POSTGRES</c>, default the local
    /// cluster that scripts/start-postgres.sh starts); each run gets a schema of its own, dropped afterwards.</summary>
    public string PostgresConnectionString { get; init; } =
        Environment.GetEnvironmentVariable("PIPELINE_BENCH_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Username=postgres;Password=postgres;Database=postgres";

    /// <summary>InceptionV3 and ResNet18 cost four to ten times MobilenetV2 per image; full runs give them a third of
    /// the images.</summary>
    public int ImagesFor(string architecture, int count) =>
        architecture is "InceptionV3" or "Resnet18" or "Resnet18Spatial" && !Quick ? Math.Max(8, count / 3) : count;
}
