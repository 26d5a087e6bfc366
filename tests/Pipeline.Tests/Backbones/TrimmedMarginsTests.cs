using Pipeline.Backbones;
using Pipeline.Features;
using Pipeline.Images;
using Pipeline.Tests.Support;
using SkiaSharp;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// The built-in ResNet18 backbones trim the margin around an image's content before letterboxing it
/// (<see cref="ResizeMode.TrimBorderAndPad"/>), so the same drawing gives the same features whatever margin its file has;
/// <c>--trim-margins false</c> (<c>Pipeline:TrimMargins</c>) gives back whole-image letterboxing, under its own cache key.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class TrimmedMarginsTests
{
    [Fact]
    public void The_resnet18_backbones_trim_by_default_and_letterbox_the_whole_image_when_turned_off()
    {
        var root = RepositoryPaths.NewTempFolder("trim-catalog");
        var trimming = BackboneCatalog.CreateDefault(root);
        var white = BackboneCatalog.CreateDefault(root, MarginTrimming.White);
        var whole = BackboneCatalog.CreateDefault(root, MarginTrimming.Off);

        foreach (var name in new[] { BackboneCatalog.Resnet18, BackboneCatalog.Resnet18Spatial })
        {
            Assert.Equal(ResizeMode.TrimBorderAndPad, trimming.Get(name).Resize);
            Assert.Equal(ResizeMode.TrimAndPad, white.Get(name).Resize);
            Assert.Equal(ResizeMode.Pad, whole.Get(name).Resize);
        }

        // Not measured with trimming, so left as they were.
        Assert.Equal(ResizeMode.Pad, trimming.Get(BackboneCatalog.MobilenetV2).Resize);
        Assert.Equal(ResizeMode.Stretch, trimming.Get(BackboneCatalog.RawPixels).Resize);
    }

    [Fact]
    public async Task A_clip_in_a_narrow_and_in_a_wide_margin_gets_the_same_features_and_a_cache_key_of_its_own()
    {
        var clip = ResNet18TestImages.Load(1)[0];
        var narrow = InMargin(clip, canvasScale: 1.25, left: 0.5, top: 0.5);
        var wide = InMargin(clip, canvasScale: 3, left: 0.1, top: 0.5);
        var trimming = await PrepareResnet18(MarginTrimming.Border);
        var whole = await PrepareResnet18(MarginTrimming.Off);
        using var trimmed = new ImageFeaturizer(trimming);
        using var letterboxed = new ImageFeaturizer(whole);

        var trimmedDistance = FeatureAgreement.RelativeL2(trimmed.Featurize(wide), trimmed.Featurize(narrow));
        var letterboxedDistance = FeatureAgreement.RelativeL2(letterboxed.Featurize(wide), letterboxed.Featurize(narrow));

        // Both margins are wider than the border trimming keeps, so both trim to the same pixels; letterboxed whole, the
        // clip is a patch of a third of the input in one and nearly all of it in the other.
        Assert.True(trimmedDistance < 0.02, $"trimmed: relative distance {trimmedDistance:0.000}");
        Assert.True(letterboxedDistance > 0.2, $"letterboxed whole: relative distance {letterboxedDistance:0.000}");
        Assert.NotEqual(trimming.Descriptor.FeatureKey, whole.Descriptor.FeatureKey);
    }

    [Fact]
    public async Task A_clip_on_tinted_paper_gets_the_same_features_in_a_narrow_and_a_wide_margin_where_white_trimming_cuts_nothing()
    {
        var clip = ResNet18TestImages.Load(1)[0];
        var kraft = new SKColor(206, 178, 138);
        var narrow = InMargin(clip, canvasScale: 1.25, left: 0.5, top: 0.5, kraft);
        var wide = InMargin(clip, canvasScale: 3, left: 0.1, top: 0.5, kraft);
        var border = await PrepareResnet18(MarginTrimming.Border);
        var white = await PrepareResnet18(MarginTrimming.White);
        using var byBorder = new ImageFeaturizer(border);
        using var byWhite = new ImageFeaturizer(white);

        var borderDistance = FeatureAgreement.RelativeL2(byBorder.Featurize(wide), byBorder.Featurize(narrow));
        var whiteDistance = FeatureAgreement.RelativeL2(byWhite.Featurize(wide), byWhite.Featurize(narrow));

        Assert.True(borderDistance < 0.02, $"border colour: relative distance {borderDistance:0.000}");
        Assert.True(whiteDistance > 0.2, $"white only: relative distance {whiteDistance:0.000}");
        Assert.NotEqual(border.Descriptor.FeatureKey, white.Descriptor.FeatureKey);
    }

    private static async Task<PreparedBackbone> PrepareResnet18(MarginTrimming trimMargins) =>
        await PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot, trimMargins: trimMargins)
            .Backbones.PrepareAsync(BackboneCatalog.Resnet18);

    /// <summary>
    /// The clip at its own size on a square <paramref name="canvasScale"/> times its longer side, transparent or of
    /// <paramref name="paper"/>'s colour, its top-left corner at the given fractions of the free space.
    /// </summary>
    private static byte[] InMargin(byte[] clip, double canvasScale, double left, double top, SKColor? paper = null)
    {
        using var bitmap = SKBitmap.Decode(clip);
        var side = (int)(canvasScale * Math.Max(bitmap.Width, bitmap.Height));
        using var canvasBitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(canvasBitmap))
        {
            canvas.Clear(paper ?? SKColors.Transparent);
            // Whole-pixel offsets: the clip's pixels are copied, not resampled.
            canvas.DrawBitmap(bitmap, (int)(left * (side - bitmap.Width)), (int)(top * (side - bitmap.Height)));
        }

        using var png = canvasBitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
