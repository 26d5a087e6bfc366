namespace Pipeline.Features;

/// <summary>
/// How backbones are run. Defaults were chosen by measurement on 2-core machines (docs/BENCHMARKS.md).
/// </summary>
public sealed record BackboneSessionOptions
{
    /// <summary>Images per ONNX Runtime call while featurising a dataset.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>ONNX Runtime intra-op threads; 0 = one per core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Images decoded in parallel ahead of the backbone; 0 = one per core.</summary>
    public int DecodeParallelism { get; init; }

    public static BackboneSessionOptions Default { get; } = new();

    internal int EffectiveIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;
    internal int EffectiveDecodeParallelism => DecodeParallelism > 0 ? DecodeParallelism : Environment.ProcessorCount;
}
