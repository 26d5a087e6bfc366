namespace Pipeline.Backbones.Nsfwjs;

/// <summary>The ImageNet-initialised backbones bundled in the pinned nsfwjs npm package.</summary>
public enum NsfwjsBackbone
{
    /// <summary>Keras MobileNetV2 (alpha 1.0), 224x224 input.</summary>
    MobileNetV2,

    /// <summary>Keras InceptionV3, 299x299 input.</summary>
    InceptionV3,
}
