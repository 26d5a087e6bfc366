using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Tests.Images;
using Pipeline.Tests.Support;
using SkiaSharp;

namespace Pipeline.Tests.Features;

/// <summary>The views of an image on the backbone's canvas: where the content lands, and how each view is cached.</summary>
[Trait("Kind", "Unit")]
public sealed class ImageViewTests
{
    private const int Side = 224;
    private const float White = 255f;

    /// <summary>A white canvas with a black square at x in [left, left + size), y in [top, top + size), as raw CHW pixels.</summary>
    private static float[] Canvas(int left, int top, int size)
    {
        var chw = new float[3 * Side * Side];
        Array.Fill(chw, White);
        for (var c = 0; c < 3; c++)
            for (var y = top; y < top + size; y++)
                for (var x = left; x < left + size; x++)
                    chw[(c * Side + y) * Side + x] = 0;
        return chw;
    }

    /// <summary>The bounding box of the dark pixels (below half grey) of the first plane, as continuous edges.</summary>
    private static (double Left, double Top, double Right, double Bottom) DarkBox(float[] chw)
    {
        int left = Side, top = Side, right = -1, bottom = -1;
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
                if (chw[y * Side + x] < White / 2)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }

        return (left, top, right + 1, bottom + 1);
    }

    [Theory]
    [InlineData(ImageView.Shrunk, 0.75)]
    [InlineData(ImageView.Enlarged, 1.3)]
    public void A_scaled_view_draws_the_content_at_its_scale_about_the_canvas_centre(ImageView view, double scale)
    {
        // Off centre, so that a view scaled about the wrong point would move it: x in [40, 120), y in [90, 170).
        var chw = Canvas(40, 90, 80);
        var before = DarkBox(chw);

        ImageViewGeometry.Apply(view, chw, Side, [White, White, White]);

        var after = DarkBox(chw);
        double Mapped(double edge) => (edge - Side / 2.0) * scale + Side / 2.0;
        // One pixel of slack: the filter blurs an edge over a pixel, and the box is read at half grey.
        Assert.InRange(after.Left, Mapped(before.Left) - 1, Mapped(before.Left) + 1);
        Assert.InRange(after.Right, Mapped(before.Right) - 1, Mapped(before.Right) + 1);
        Assert.InRange(after.Top, Mapped(before.Top) - 1, Mapped(before.Top) + 1);
        Assert.InRange(after.Bottom, Mapped(before.Bottom) - 1, Mapped(before.Bottom) + 1);
        Assert.InRange((after.Right - after.Left) / (before.Right - before.Left), scale - 0.02, scale + 0.02);
    }

    [Fact]
    public void A_shrunk_view_fills_the_border_it_leaves_with_white_and_an_enlarged_one_crops()
    {
        // All black: the shrunk view is black inside the centred 0.75 square and white outside it.
        var black = new float[3 * Side * Side];
        ImageViewGeometry.Apply(ImageView.Shrunk, black, Side, [White, White, White]);
        Assert.Equal(White, black[0], 3);
        Assert.Equal(White, black[(2 * Side + Side / 2) * Side + 5], 3);
        Assert.Equal(0, black[(Side / 2) * Side + Side / 2], 3);
        // (224 - 0.75 x 224) / 2 = 28 pixels of border on each side.
        Assert.Equal((28.0, 28.0, 196.0, 196.0), DarkBox(black));

        // A black frame 20 pixels wide around a white middle.
        var frame = Canvas(0, 0, Side);
        for (var c = 0; c < 3; c++)
            for (var y = 20; y < Side - 20; y++)
                for (var x = 20; x < Side - 20; x++)
                    frame[(c * Side + y) * Side + x] = White;
        ImageViewGeometry.Apply(ImageView.Enlarged, frame, Side, [White, White, White]);
        // Enlarged 1.3 about the centre, the frame's inner edge at 20 maps to (20 - 112) x 1.3 + 112 = -7.6: all of it is cropped.
        Assert.True(frame.All(v => v > White / 2), "an enlarged view should crop the frame away");
    }

    [Fact]
    public async Task Every_view_is_its_geometry_applied_to_the_original_and_is_cached_under_its_own_key()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var cache = new FeatureCache(RepositoryPaths.NewTempFolder("view-cache"));
        var file = Path.Combine(RepositoryPaths.NewTempFolder("views"), "corner.png");
        // Red in the top-left quarter, blue elsewhere: no view equals another.
        using (var bitmap = TestImages.Bitmap(96, 96, (x, y) => x < 48 && y < 48 ? SKColors.Red : SKColors.Blue))
            await File.WriteAllBytesAsync(file, TestImages.Encode(bitmap, SKEncodedImageFormat.Png));
        var image = new LabelledImage(file, "x", new string('d', 64), 96, 96, "png");
        // Raw pixels: the features are the scaled pixels, so each view's features show its geometry directly.
        using var featurizer = new ImageFeaturizer(await environment.Backbones.PrepareAsync(BackboneCatalog.RawPixels));
        var white = Pipeline.Images.PixelTensorWriter.ToChw(new Pipeline.Images.RgbImage(1, 1, [255, 255, 255]),
            featurizer.Descriptor.Scaling);
        var original = (await featurizer.FeaturizeAsync([image], cache, ImageView.Original)).BySha256[image.Sha256];

        var keys = new HashSet<string>();
        foreach (var view in ImageViewGeometry.WithOriginal)
        {
            var features = (await featurizer.FeaturizeAsync([image], cache, view)).BySha256[image.Sha256];
            var expected = original.ToArray();
            ImageViewGeometry.Apply(view, expected, RawPixelFeatures.Side, white);
            Assert.Equal(expected, features);
            if (view != ImageView.Original) Assert.NotEqual(original, features);
            Assert.True(keys.Add(featurizer.CacheKey(view)), $"{view} shares a cache key");
            Assert.True(cache.TryRead(featurizer.CacheKey(view), image.Sha256, features.Length, out var cached));
            Assert.Equal(features, cached);
        }

        // The predict path makes the same views from the encoded bytes in one batch.
        var batch = featurizer.FeaturizeViews(await File.ReadAllBytesAsync(file), ImageViewGeometry.WithOriginal);
        for (var v = 0; v < batch.Length; v++)
            Assert.Equal((await featurizer.FeaturizeAsync([image], cache, ImageViewGeometry.WithOriginal[v])).BySha256[image.Sha256], batch[v]);
    }
}
