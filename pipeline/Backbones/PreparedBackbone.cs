namespace Pipeline.Backbones;

/// <summary>A backbone ready to run: its descriptor and, unless it is the raw-pixel baseline, its ONNX file.</summary>
public sealed record PreparedBackbone(BackboneDescriptor Descriptor, string? OnnxPath)
{
    public bool IsRawPixels => OnnxPath is null;

    internal static PreparedBackbone RawPixelBaseline(BackboneDefinition definition) => new(new BackboneDescriptor
    {
        Name = definition.Name,
        InputSize = RawPixelFeatures.Side,
        Scaling = definition.Scaling,
        FeatureLength = RawPixelFeatures.Length,
        Taps = [new BackboneTap("pixels", 0, RawPixelFeatures.Length)],
        Sha256 = "",
        Source = "raw pixels",
    }, null);
}
