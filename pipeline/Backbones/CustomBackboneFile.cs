using Pipeline.Images;

namespace Pipeline.Backbones;

/// <summary>
/// One <c>backbones/custom/&lt;name&gt;.json</c> descriptor (<see cref="CustomBackbones"/>): the ONNX file, relative to
/// the descriptor's folder, and how images reach it.
/// </summary>
internal sealed record CustomBackboneFile(
    string Name,
    string Onnx,
    int InputSize,
    PixelScaling Scaling = PixelScaling.ImageNetMeanStd,
    string InputName = "input",
    string OutputName = "features",
    ResizeMode Resize = ResizeMode.Stretch,
    bool InDefaultSet = true);
