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
/// outputs <c>PredictedLabel</c> (string) and <c>Score</c> (one probability per label). The chain is LoadImages,
/// ResizeImages, ExtractPixels (RGB 0..255, planar), ApplyOnnxModel (pixel scaling and backbone, see
/// <see cref="OnnxClassifierGraph.FeatureExtractor"/>), then the trained ML.NET head itself (standardisation and the
/// linear model) and MapKeyToValue for the label name.
/// </summary>
/// <remarks>
/// ML.NET's OnnxTransformer saves the ONNX bytes inside the zip, so the zip is the whole model. Images go through
/// ML.NET's own decoder and resizer, not the service's: transparent images are not flattened onto white, and ML.NET's
/// letterboxing (IsoPad) pads with black, not white (seen on ML.NET 5.0.1), so answers match the service on opaque images (square ones for backbones
/// that letterbox), and may differ slightly elsewhere.
/// </remarks>
public static class MlNetModelExport
{
    public const string ImagePathColumn = "ImagePath";
    private const string ImageColumn = "Image";

    public static void Write(Stream destination, BackboneDescriptor backbone, byte[]? backboneOnnx, ITransformer head, int seed)
    {
        var ml = new MLContext(seed);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<ImagePathRow>());
        var side = backbone.InputSize;
        var features = OnnxClassifierGraph.FeatureExtractor(backbone, backboneOnnx).ToByteArray();

        var images = ml.Transforms.LoadImages(ImageColumn, imageFolder: null, inputColumnName: ImagePathColumn)
            .Append(ml.Transforms.ResizeImages(ImageColumn, side, side, inputColumnName: ImageColumn,
                resizing: backbone.Resize == ResizeMode.Pad
                    ? ImageResizingEstimator.ResizingKind.IsoPad
                    : ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels(OnnxClassifierGraph.InputName, ImageColumn,
                colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Rgb,
                orderOfExtraction: ImagePixelExtractingEstimator.ColorsOrder.ARGB,
                interleavePixelColors: false))
            .Append(ml.Transforms.ApplyOnnxModel([OnnxClassifierGraph.FeaturesName], [OnnxClassifierGraph.InputName],
                new MemoryStream(features)))
            .Fit(empty);

        // The head's first step maps the training label to a key; scoring has no label, so only the steps after it
        // (standardisation, the multiclass model) are appended. The model keeps the label names for PredictedLabel.
        var scoring = ((IEnumerable<ITransformer>)head).Where(t => t is not ValueToKeyMappingTransformer).ToList();
        var scored = new TransformerChain<ITransformer>([images, .. scoring]);
        var labelled = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scored.Transform(empty));
        ml.Model.Save(new TransformerChain<ITransformer>([images, .. scoring, labelled]), empty.Schema, destination);
    }

    private sealed class ImagePathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
