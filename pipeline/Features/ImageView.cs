namespace Pipeline.Features;

/// <summary>
/// Which view of an image is featurised. Each view has its own feature-cache key. Every view is made from the image as
/// the backbone sees it (decoded, flattened onto white, fitted to the square input). A geometric view (mirrored, shrunk,
/// enlarged) is one fixed linear map of that tensor (<see cref="ImageViewGeometry"/>), which the ONNX export can run
/// inside its graph too; a style view (greyscale, outline, <see cref="ImageStyleViews"/>) only ever trains a head, so
/// nothing served or exported needs it.
/// </summary>
public enum ImageView
{
    /// <summary>The image as it is: always used for validation, test and predict.</summary>
    Original,

    /// <summary>Mirrored left to right.</summary>
    Mirrored,

    /// <summary>The content drawn at 0.75 of its fitted size, centred, the border filled with white.</summary>
    Shrunk,

    /// <summary>The content drawn at 1.3 of its fitted size, centred; what falls outside the input is cropped.</summary>
    Enlarged,

    /// <summary>Every channel set to the pixel's brightness.</summary>
    Greyscale,

    /// <summary>Dark lines where the brightness changes, on white: the image as a line drawing.</summary>
    Outline,
}
