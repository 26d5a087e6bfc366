using Pipeline.Backbones.Tfjs;
using Pipeline.Images;

namespace Pipeline.Backbones;

/// <summary>
/// A prepared backbone: the ONNX file on disk and everything needed to feed it and to trust it. Written as
/// <c>backbone.json</c> beside <c>backbone.onnx</c>; models pin the <see cref="Sha256"/> they were trained on.
/// </summary>
public sealed record BackboneDescriptor
{
    public required string Name { get; init; }
    public required int InputSize { get; init; }
    public required PixelScaling Scaling { get; init; }
    public required int FeatureLength { get; init; }
    public required IReadOnlyList<BackboneTap> Taps { get; init; }

    /// <summary>SHA-256 of the ONNX file; empty for the raw-pixel baseline, which has no file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Where it came from, for lineage: package and version, URL, or file.</summary>
    public required string Source { get; init; }

    public TapPooling Pooling { get; init; } = TapPooling.Average;
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    public string InputName { get; init; } = "input";
    public string OutputName { get; init; } = "features";

    /// <summary>Identifies everything that changes the features: weights, taps and preprocessing.</summary>
    public string FeatureKey => FeatureKeys.For(this);
}

/// <summary>One tapped layer and the slice of the feature vector its pooled output occupies.</summary>
public sealed record BackboneTap(string Layer, int Offset, int Length);
