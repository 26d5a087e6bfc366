namespace Pipeline.Export;

/// <summary>What a model can be exported as.</summary>
public enum ModelExportFormat
{
    /// <summary>One ONNX graph: RGB pixels to one probability per label (see <see cref="OnnxClassifierGraph"/>).</summary>
    Onnx,

    /// <summary>An ML.NET model <c>.zip</c> from an image file path to PredictedLabel and Score (see <see cref="MlNetModelExport"/>).</summary>
    MlNet,
}

public static class ModelExportFormats
{
    public static IReadOnlyList<string> Names { get; } = ["onnx", "mlnet"];

    /// <summary>Parses the user-facing name (<c>onnx</c>, <c>mlnet</c>), case-insensitively.</summary>
    public static bool TryParse(string? name, out ModelExportFormat format)
    {
        switch (name?.ToLowerInvariant())
        {
            case "onnx":
                format = ModelExportFormat.Onnx;
                return true;
            case "mlnet":
                format = ModelExportFormat.MlNet;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string FileExtension(this ModelExportFormat format) => format == ModelExportFormat.Onnx ? ".onnx" : ".zip";

    public static string ContentType(this ModelExportFormat format) =>
        format == ModelExportFormat.Onnx ? "application/octet-stream" : "application/zip";
}
