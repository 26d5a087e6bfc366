namespace Pipeline.Backbones;

/// <summary>Where a backbone's weights come from.</summary>
public enum BackboneSourceKind
{
    /// <summary>Converted at setup from a Keras TF.js model shipped in the npm package nsfwjs (works offline).</summary>
    Nsfwjs,

    /// <summary>
    /// The ONNX graphs a NuGet package ships (ML.NET's <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>), rewritten at
    /// setup; restored with the build, so it works offline.
    /// </summary>
    MlNetPackage,

    /// <summary>An ONNX file downloaded by URL and verified against a pinned SHA-256 (needs the internet once).</summary>
    Download,

    /// <summary>Bring your own: an .onnx file with a JSON descriptor in the backbones folder.</summary>
    Custom,

    /// <summary>No network at all: downscaled raw pixels. The baseline every real backbone must beat.</summary>
    RawPixels,
}
