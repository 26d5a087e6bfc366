using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Pipeline.Backbones.Downloads;
using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Nsfwjs;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Tfjs;
using Pipeline.Progress;

namespace Pipeline.Backbones;

/// <summary>
/// Produces a backbone's ONNX feature extractor from its source: converts the nsfwjs Keras models, rewrites the ResNet18
/// graphs of ML.NET's NuGet package, downloads and taps zoo models, or adopts a custom file.
/// </summary>
/// <remarks>The nsfwjs extractor is created on first use: a deployment with prepared backbones needs no tools folder.</remarks>
public sealed class BackbonePreparers(Lazy<NsfwjsModelExtractor> nsfwjs, VerifiedDownloader? downloader)
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
                    await nsfwjs.Value.ExtractAsync(NsfwjsVariant(definition), sourceFolder, ct);
                var converted = await Task.Run(() => new TfjsToOnnxConverter().Convert(modelJson,
                    new TfjsConversionOptions
                {
                    Taps = taps, InputSize = definition.InputSize, Pooling = definition.Pooling,
                }, onnxPath), ct);
                return (converted.FeatureLength,
                    converted.Taps.Select(t => new BackboneTap(t.Layer, t.Offset, t.Length)).ToList(),
                    $"npm {NsfwjsPackage} dist/models/{definition.SourceReference}");
            }
            case BackboneSourceKind.MlNetPackage:
            {
                var files = ResNet18PackageFiles.Locate();
                await files.VerifyAsync(ct);
                var slices = await Task.Run(() =>
                    ResNet18GraphRewriter.Rewrite(files, taps, definition.Pooling, onnxPath, definition.PairedWithOutline), ct);
                // A source of its own keeps a paired backbone out of the shared trunk, whose merge would feed its layers
                // the image alone.
                var source = definition.PairedWithOutline
                    ? $"{ResNet18PackageFiles.SourceDescription}, paired with its outline"
                    : ResNet18PackageFiles.SourceDescription;
                return (slices.Sum(s => s.Length), slices, source);
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
                var length = OnnxFeatureTap.Expose(downloaded, zoo.FeatureTensor, zoo.FeatureLength, onnxPath);
                if (MeasureFeatureLength(onnxPath, definition, OnnxFeatureTap.OutputName) != length)
                    throw new PipelineException($"{definition.Name}: '{zoo.FeatureTensor}' does not hold {length} values per image.");
                return (length, [new BackboneTap(definition.DefaultTaps[0], 0, length)], definition.SourceReference);
            }
            case BackboneSourceKind.Custom:
            {
                if (!File.Exists(definition.SourceReference))
                    throw new PipelineException($"Custom backbone {definition.Name}: {definition.SourceReference} does not exist.");
                File.Copy(definition.SourceReference, onnxPath, overwrite: true);
                var length = MeasureFeatureLength(onnxPath, definition, definition.DefaultTaps[0]);
                return (length, [new BackboneTap(taps[0], 0, length)], definition.SourceReference);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(definition), definition.Source, "Nothing to prepare.");
        }
    }

    /// <summary>Runs one blank image through a custom model to learn, and check, the shape of its features.</summary>
    private static NsfwjsBackbone NsfwjsVariant(BackboneDefinition definition) => definition.SourceReference switch
    {
        "mobilenet_v2" => NsfwjsBackbone.MobileNetV2,
        "inception_v3" => NsfwjsBackbone.InceptionV3,
        _ => throw new ArgumentException($"No nsfwjs model '{definition.SourceReference}'.", nameof(definition)),
    };

    private static int MeasureFeatureLength(string onnxPath, BackboneDefinition definition, string outputName)
    {
        using var session = new InferenceSession(onnxPath);
        var input = new DenseTensor<float>([1, 3, definition.InputSize, definition.InputSize]);
        try
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(definition.InputName, input)],
                [outputName]);
            return (int)results[0].AsTensor<float>().Length;
        }
        catch (OnnxRuntimeException e)
        {
            throw new PipelineException(
                $"Custom backbone {definition.Name} does not run on a [1,3,{definition.InputSize},{definition.InputSize}] " +
                $"float input '{definition.InputName}' with output '{outputName}': {e.Message}", e);
        }
    }
}
