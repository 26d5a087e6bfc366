using Pipeline.Datasets;

namespace Pipeline.Features;

/// <summary>Feature vectors of a set of images, keyed by image SHA-256, with what it cost to get them.</summary>
public sealed record FeatureSet(
    IReadOnlyDictionary<string, float[]> BySha256,
    IReadOnlyList<RejectedFile> Failed,
    int Computed,
    int FromCache,
    TimeSpan ComputeTime)
{
    /// <summary>Images per second over the images actually run through the backbone (cache hits excluded).</summary>
    public double ImagesPerSecond => Computed == 0 || ComputeTime <= TimeSpan.Zero ? 0 : Computed / ComputeTime.TotalSeconds;
}
