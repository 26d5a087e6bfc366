namespace Pipeline.Features;

/// <summary>Which view of an image is featurised. Each view has its own feature-cache key.</summary>
public enum ImageView
{
    /// <summary>The image as it is: the only view used for validation, test and predict.</summary>
    Original,

    /// <summary>Mirrored left to right: training-time augmentation only.</summary>
    Mirrored,
}
