using Pipeline.Backbones.Tfjs;
using Pipeline.Images;

namespace Pipeline.Backbones;

/// <summary>
/// What the catalog knows about an architecture before anything is prepared: how to obtain it, what input it wants,
/// and which layers it taps for features by default.
/// </summary>
/// <param name="Name">Catalog name used on the command line and in configuration, e.g. <c>MobilenetV2</c>.</param>
/// <param name="Source">How the weights are obtained.</param>
/// <param name="InputSize">Square input side in pixels.</param>
/// <param name="Scaling">Pixel scaling the backbone was trained with.</param>
/// <param name="DefaultTaps">Layers whose globally pooled outputs are concatenated into the feature vector.</param>
/// <param name="Description">One line for <c>backbones list</c>.</param>
/// <param name="SourceReference">Nsfwjs: the model folder (<c>mobilenet_v2</c>); MlNetPackage: the package and version;
/// Download: the URL; Custom: the .onnx path.</param>
/// <param name="Sha256">Download only: the pinned SHA-256 of the file.</param>
public sealed record BackboneDefinition(
    string Name,
    BackboneSourceKind Source,
    int InputSize,
    PixelScaling Scaling,
    IReadOnlyList<string> DefaultTaps,
    string Description,
    string SourceReference,
    string? Sha256 = null)
{
    /// <summary>How each tap's feature map is pooled (converted Keras and rewritten package models).</summary>
    public TapPooling Pooling { get; init; } = TapPooling.Average;

    /// <summary>How images are fitted to the square input: stretched, or letterboxed onto the background.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>The ONNX input name of a downloaded or custom model (converted nsfwjs models use "input").</summary>
    public string InputName { get; init; } = "input";

    /// <summary>
    /// Whether the features are the image's followed by its outline's, <c>[f(x), f(outline x)]</c>, from one run of the
    /// network on both (<see cref="Onnx.OutlinePairing"/>): twice the features and twice the backbone time.
    /// </summary>
    public bool PairedWithOutline { get; init; }

    /// <summary>Whether this backbone can be prepared with no network beyond the package registries.</summary>
    public bool WorksOffline => Source is not BackboneSourceKind.Download;

    /// <summary>
    /// Whether a retrain that names no architectures trains it (when it <see cref="WorksOffline"/>). Off only for a
    /// backbone that cross-validation never found useful next to the others, so it would cost retrain time for nothing;
    /// it can still be named.
    /// </summary>
    public bool InDefaultSet { get; init; } = true;
}
