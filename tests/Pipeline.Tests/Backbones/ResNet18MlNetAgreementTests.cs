using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.Backbones;
using Pipeline.Backbones.MlNet;
using Pipeline.Features;
using Pipeline.Tests.Support;
using SkiaSharp;
using Xunit.Abstractions;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// The pipeline's ResNet18 featuriser against ML.NET's standard way of running the same package: ImageAnalytics
/// (LoadImages, ResizeImages, ExtractPixels) and OnnxTransformer (ApplyOnnxModel with the preprocessing graph, then
/// ResNet18). Native pieces: ImageAnalytics decodes with SkiaSharp (libSkiaSharp from
/// SkiaSharp.NativeAssets.Linux.NoDependencies, already referenced by the pipeline) and OnnxTransformer runs on the
/// ONNX Runtime native library the pipeline already ships.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class ResNet18MlNetAgreementTests(ITestOutputHelper output)
{
    private const double RequiredCosine = 0.99;

    [Fact]
    public async Task Featuriser_and_mlnet_image_analytics_with_onnx_transformer_agree_on_an_opaque_image()
    {
        var folder = RepositoryPaths.NewTempFolder("resnet18-mlnet");
        var imagePath = Path.Combine(folder, "opaque.png");
        // Square and opaque, so that both sides see the same picture: no transparency to flatten (ML.NET keeps the
        // raw colour under alpha) and no letterbox (ML.NET crops, the pipeline pads). Both resize from 500 to 224, each with its own filter.
        await File.WriteAllBytesAsync(imagePath, OpaqueSquare(ResNet18TestImages.Load(1)[0], 500));

        var backbone = await PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot).Backbones.PrepareAsync(BackboneCatalog.Resnet18);
        var finalPool = backbone.Descriptor.Taps.Single(t => t.Layer == PackageResNet18.FinalPool);
        using var featurizer = new ImageFeaturizer(backbone);
        var ours = featurizer.Featurize(await File.ReadAllBytesAsync(imagePath)).AsSpan(finalPool.Offset, finalPool.Length).ToArray();

        var theirs = MlNetFinalPool(imagePath);

        var cosine = Cosine(ours, theirs);
        output.WriteLine($"cosine(pipeline, ML.NET ImageAnalytics + OnnxTransformer) = {cosine:F7} over {ours.Length} features");
        Assert.True(cosine >= RequiredCosine, $"cosine {cosine:F4} < {RequiredCosine}");
        Directory.Delete(folder, recursive: true);
    }

    private static float[] MlNetFinalPool(string imagePath)
    {
        var files = ResNet18PackageFiles.Locate();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new ImageFile { Path = imagePath }]);
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(ImageFile.Path))
            .Append(ml.Transforms.ResizeImages("Image", ResNet18GraphRewriter.InputSize, ResNet18GraphRewriter.InputSize, "Image"))
            .Append(ml.Transforms.ExtractPixels("OriginalInput", "Image"))
            .Append(ml.Transforms.ApplyOnnxModel("PreprocessedInput", "OriginalInput", files.Preprocess))
            .Append(ml.Transforms.CopyColumns("Input247", "PreprocessedInput"))
            .Append(ml.Transforms.ApplyOnnxModel(PackageResNet18.FinalPool, "Input247", files.Network));
        var transformed = pipeline.Fit(data).Transform(data);
        var column = transformed.GetColumn<VBuffer<float>>(PackageResNet18.FinalPool).Single();
        return column.DenseValues().ToArray();
    }

    /// <summary>The clip art flattened onto white and drawn centred on a white square, encoded as an opaque PNG.</summary>
    private static byte[] OpaqueSquare(byte[] png, int side)
    {
        using var source = SKBitmap.Decode(png);
        using var surface = SKSurface.Create(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Opaque));
        surface.Canvas.Clear(SKColors.White);
        var scale = (float)side / Math.Max(source.Width, source.Height);
        var (w, h) = (source.Width * scale, source.Height * scale);
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.High };
        surface.Canvas.DrawBitmap(source, SKRect.Create((side - w) / 2, (side - h) / 2, w, h), paint);
        using var image = surface.Snapshot();
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        Assert.True(na > 0 && nb > 0, "A feature vector is all zeros; the comparison would be vacuous.");
        return dot / Math.Sqrt(na * nb);
    }

    private sealed class ImageFile
    {
        public string Path { get; set; } = "";
    }
}
