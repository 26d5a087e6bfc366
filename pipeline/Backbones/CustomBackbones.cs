using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Images;
using Pipeline.Storage;

namespace Pipeline.Backbones;

/// <summary>
/// Reads (and writes) bring-your-own backbones: <c>custom/&lt;name&gt;.json</c> describing an .onnx file that takes NCHW float
/// input and returns one feature vector per image.
/// </summary>
/// <example>
/// <code>{ "name": "MyNet", "onnx": "mynet.onnx", "inputSize": 224, "scaling": "ImageNetMeanStd",
///   "inputName": "input", "outputName": "features", "resize": "Stretch" }</code>
/// <c>resize</c> is optional: <c>Stretch</c> (the default), <c>Pad</c> (letterboxed onto white), <c>TrimAndPad</c>
/// (the white or transparent margin cut away first, then letterboxed), <c>TrimBorderAndPad</c> (also a margin of any
/// colour the image's whole border has) or <c>TrimPaperAndPad</c> (the same, that colour then read as white paper, as
/// the built-in networks read images; the fine-tuning tool writes it for its tuned ResNet18). <c>inDefaultSet</c> is optional
/// too: <c>false</c> trains the backbone only where it is named (the tuned ResNet18 again: tuned on the images
/// cross-validation would validate it on, it would win the selection on an optimistic figure).
/// </example>
internal static class CustomBackbones
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly JsonSerializerOptions IndentedJson = new(Json) { WriteIndented = true };

    public static IEnumerable<BackboneDefinition> Read(string folder)
    {
        if (!Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            CustomBackboneFile spec;
            try
            {
                spec = JsonSerializer.Deserialize<CustomBackboneFile>(File.ReadAllText(file), Json)
                       ?? throw new JsonException("empty document");
            }
            catch (JsonException e)
            {
                throw new PipelineException($"Custom backbone descriptor {file} is not valid: {e.Message}");
            }

            if (string.IsNullOrWhiteSpace(spec.Name) || string.IsNullOrWhiteSpace(spec.Onnx) || spec.InputSize <= 0)
                throw new PipelineException($"Custom backbone descriptor {file} needs name, onnx and inputSize.");

            var onnxPath = Path.GetFullPath(spec.Onnx, folder);
            yield return new BackboneDefinition(spec.Name, BackboneSourceKind.Custom, spec.InputSize, spec.Scaling,
                [spec.OutputName], $"Custom ONNX backbone {Path.GetFileName(onnxPath)}", onnxPath)
            {
                InputName = spec.InputName,
                Resize = spec.Resize,
                InDefaultSet = spec.InDefaultSet,
            };
        }
    }

    /// <summary>Writes a descriptor the way <see cref="Read"/> reads it (complete or not at all).</summary>
    public static Task WriteAsync(string jsonPath, CustomBackboneFile spec, CancellationToken ct = default) =>
        AtomicFile.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(spec, IndentedJson), ct);
}
