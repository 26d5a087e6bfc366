namespace Pipeline.Images;

/// <summary>How 8-bit RGB values are mapped to the floats a backbone was trained on.</summary>
public enum PixelScaling
{
    /// <summary>x / 127.5 - 1: Keras "tf" mode, used by MobileNet, Inception and ResNet v2.</summary>
    MinusOneToOne,

    /// <summary>x / 255.</summary>
    ZeroToOne,

    /// <summary>(x / 255 - mean) / std with the ImageNet channel statistics (torchvision models).</summary>
    ImageNetMeanStd,

    /// <summary>Raw 0..255 values.</summary>
    Raw,
}
