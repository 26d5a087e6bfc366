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

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin while waiting for work. Off by default: spinning saves a wake-up
    /// per operator on an idle machine, but burns the cores that image decoding, concurrent requests and other tenants
    /// need; on a loaded 2-core machine turning it off made bare MobilenetV2 1.7x faster (docs/BENCHMARKS.md, section 2).
    /// </summary>
    public bool IntraOpSpinning { get; init; }

    /// <summary>Images decoded in parallel ahead of the backbone; 0 = one per core.</summary>
    public int DecodeParallelism { get; init; }

    public static BackboneSessionOptions Default { get; } = new();

    internal int EffectiveIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;
    internal int EffectiveDecodeParallelism => DecodeParallelism > 0 ? DecodeParallelism : Environment.ProcessorCount;
}
