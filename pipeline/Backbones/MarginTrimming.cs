using System.ComponentModel;
using Pipeline.Images;

namespace Pipeline.Backbones;

/// <summary>
/// What the built-in networks (ResNet18, MobilenetV2, InceptionV3) cut from an image before letterboxing it (<c>--trim-margins</c>,
/// <c>Pipeline:TrimMargins</c>). A custom backbone keeps what its own descriptor says.
/// </summary>
[TypeConverter(typeof(MarginTrimmingConverter))]
public enum MarginTrimming
{
    /// <summary>Nothing: the whole image is letterboxed (<see cref="ResizeMode.Pad"/>).</summary>
    Off = 0,

    /// <summary>A white or transparent margin (<see cref="ResizeMode.TrimAndPad"/>), the default of the first release with trimming.</summary>
    White = 1,

    /// <summary>
    /// A white margin, or one of any colour the image's whole border has (<see cref="ResizeMode.TrimBorderAndPad"/>), the
    /// default before <see cref="Paper"/>.
    /// </summary>
    Border = 2,

    /// <summary>
    /// The default: as <see cref="Border"/>, and a tinted margin is read as white paper wherever it is left in the image
    /// (<see cref="ResizeMode.TrimPaperAndPad"/>).
    /// </summary>
    Paper = 3,
}
