using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Pipeline.Backbones.Downloads;
using Pipeline.Backbones.Nsfwjs;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Tfjs;
using Pipeline.Progress;

namespace Pipeline.Backbones;

/// <summary>
/// Produces a backbone's ONNX feature extractor from its source: converts the nsfwjs Keras models, downloads and taps
/// zoo models, or adopts a custom file.
/// </summary>
public sealed class BackbonePreparers(NsfwjsModelExtractor nsfwjs, VerifiedDownloader? downloader)
{
    public const string NsfwjsPackage = "nsfwjs@4.4.0";

    internal async Task<(int FeatureLength, IReadOnlyList<BackboneTap> Taps, string Source)> PrepareAsync(
        BackboneDefinition definition, IReadOnlyList<string> taps, string storeRoot, string onnxPath,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        switch (definition.Source)
        {
            case BackboneSourceKind.Nsfwjs:
            {
                var sourceFolder = Path.Combine(storeRoot, "_sources", "nsfwjs-4.4.0", definition.SourceReference);
                var modelJson = Path.Combine(sourceFolder, "model.json");
                if (!File.Exists(modelJson))
                    await nsfwjs.ExtractAsync(definition.SourceReference, sourceFolder, ct);
                var converted = await Task.Run(() => TfjsToOnnxConverter.Convert(modelJson,
                    new TfjsConversionOptions { Taps = taps, InputSize = definition.InputSize }, onnxPath), ct);
                return (converted.FeatureLength,
                    converted.Taps.Select(t => new BackboneTap(t.Layer, t.Offset, t.Length)).ToList(),
                    $"npm {NsfwjsPackage} dist/models/{definition.SourceReference}");
            }
            case BackboneSourceKind.Download:
            {
                if (downloader is null)
                    throw new PipelineException($"{definition.Name} must be downloaded, and no downloader is configured.");
                var zoo = ZooBackbones.Find(definition.Name)
                          ?? throw new PipelineException($"{definition.Name} is not a known download.");
                var downloads = Path.Combine(storeRoot, "_sources", "downloads");
                Directory.CreateDirectory(downloads);
                var downloaded = await downloader.DownloadAsync(zoo.ToDownloadRequest(downloads), progress, ct);
                var length = OnnxFeatureTap.Expose(downloaded, definition.DefaultTaps[0], onnxPath);
                return (length, [new BackboneTap(definition.DefaultTaps[0], 0, length)], definition.SourceReference);
            }
            case BackboneSourceKind.Custom:
            {
                if (!File.Exists(definition.SourceReference))
                    throw new PipelineException($"Custom backbone {definition.Name}: {definition.SourceReference} does not exist.");
                File.Copy(definition.SourceReference, onnxPath, overwrite: true);
                var length = MeasureFeatureLength(onnxPath, definition);
                return (length, [new BackboneTap(taps[0], 0, length)], definition.SourceReference);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(definition), definition.Source, "Nothing to prepare.");
        }
    }

    /// <summary>Runs one blank image through a custom model to learn, and check, the shape of its features.</summary>
    private static int MeasureFeatureLength(string onnxPath, BackboneDefinition definition)
    {
        using var session = new InferenceSession(onnxPath);
        var input = new DenseTensor<float>([1, 3, definition.InputSize, definition.InputSize]);
        try
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(definition.InputName, input)],
                [definition.DefaultTaps[0]]);
            return (int)results[0].AsTensor<float>().Length;
        }
        catch (OnnxRuntimeException e)
        {
            throw new PipelineException(
                $"Custom backbone {definition.Name} does not run on a [1,3,{definition.InputSize},{definition.InputSize}] " +
                $"float input '{definition.InputName}' with output '{definition.DefaultTaps[0]}': {e.Message}", e);
        }
    }
}
