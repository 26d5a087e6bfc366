using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;
using Pipeline.Backbones;
using Pipeline.Images;

namespace Pipeline.Export;

/// <summary>
/// Writes an ML.NET model <c>.zip</c> that a plain ML.NET app loads with <c>mlContext.Model.Load</c> and runs through a
/// <c>PredictionEngine&lt;ImageInput, ImagePrediction&gt;</c>: input column <see cref="ImagePathColumn"/> (a file path),
/// outputs <c>PredictedLabel</c> (string) and <c>Score</c> (one probability per label). The chain is LoadImages, then
/// for each backbone ResizeImages (to its input size), ExtractPixels (RGB 0..255, planar) and ApplyOnnxModel (its pixel
/// scaling and graph, see <see cref="OnnxClassifierGraph.FeatureExtractor"/>), Concatenate of the backbones' features
/// for a combined model, then the trained ML.NET head itself (standardisation and the linear model) and MapKeyToValue
/// for the label name.
/// </summary>
/// <remarks>
/// ML.NET's OnnxTransformer saves its ONNX bytes inside the zip (each backbone's), so the zip is the whole model. Images go through
/// ML.NET's own decoder and resizer, not the service's: transparent images are not flattened onto white, and ML.NET's
/// letterboxing (IsoPad) pads with black, not white (seen on ML.NET 5.0.1), and ML.NET cannot trim a margin
/// (<see cref="ResizeMode.TrimAndPad"/>, <see cref="ResizeMode.TrimBorderAndPad"/>, <see cref="ResizeMode.TrimPaperAndPad"/>: the whole
/// image is letterboxed), so answers match the service on opaque images
/// that fill their frame (square ones for backbones that letterbox), and may differ elsewhere.
/// </remarks>
public static class MlNetModelExport
{
    public const string ImagePathColumn = "ImagePath";
    private const string ImageColumn = "Image";
    private const string ResizedColumn = "ResizedImage";

    public static void Write(Stream destination, IReadOnlyList<PreparedBackbone> backbones, ITransformer head, int seed)
    {
        var ml = new MLContext(seed);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<ImagePathRow>());
        // One feature column per backbone, concatenated in the manifest's order into the head's input column.
        var features = backbones.Select((_, i) => backbones.Count == 1
            ? OnnxClassifierGraph.FeaturesName
            : $"{OnnxClassifierGraph.FeaturesName}_{i}").ToArray();
        IEstimator<ITransformer> chain = ml.Transforms.LoadImages(ImageColumn, imageFolder: null, inputColumnName: ImagePathColumn);
        for (var i = 0; i < backbones.Count; i++)
            chain = chain.Append(FeaturesOf(ml, backbones[i], i, features[i]));
        if (backbones.Count > 1)
            chain = chain.Append(ml.Transforms.Concatenate(OnnxClassifierGraph.FeaturesName, features));
        var images = chain.Fit(empty);

        // The head's first step maps the training label to a key; scoring has no label, so only the steps after it
        // (standardisation, the multiclass model) are appended. The model keeps the label names for PredictedLabel.
        var scoring = ((IEnumerable<ITransformer>)head).Where(t => t is not ValueToKeyMappingTransformer).ToList();
        var scored = new TransformerChain<ITransformer>([images, .. scoring]);
        var labelled = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scored.Transform(empty));
        ml.Model.Save(new TransformerChain<ITransformer>([images, .. scoring, labelled]), empty.Schema, destination);
    }

    /// <summary>
    /// Backbone <paramref name="index"/>'s features from the loaded image: resized from the original (not from another
    /// backbone's resized copy) to its own input size, its pixels, then its scaling and graph.
    /// </summary>
    private static IEstimator<ITransformer> FeaturesOf(MLContext ml, PreparedBackbone backbone, int index, string output)
    {
        var side = backbone.Descriptor.InputSize;
        var resized = OnnxClassifierGraph.Indexed(ResizedColumn, index);
        var pixels = OnnxClassifierGraph.InputNameOf(index);
        var extractor = OnnxClassifierGraph.FeatureExtractor(backbone, index, output).ToByteArray();
        return ml.Transforms.ResizeImages(resized, side, side, inputColumnName: ImageColumn,
                resizing: backbone.Descriptor.Resize != ResizeMode.Stretch
                    ? ImageResizingEstimator.ResizingKind.IsoPad
                    : ImageResizingEstimator.ResizingKind.Fill)
            .Append(ml.Transforms.ExtractPixels(pixels, resized,
                colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Rgb,
                orderOfExtraction: ImagePixelExtractingEstimator.ColorsOrder.ARGB,
                interleavePixelColors: false))
            .Append(ml.Transforms.ApplyOnnxModel([output], [pixels], new MemoryStream(extractor)));
    }

    private sealed class ImagePathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
