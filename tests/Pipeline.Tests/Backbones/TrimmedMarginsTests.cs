using Pipeline.Backbones;
using Pipeline.Features;
using Pipeline.Images;
using Pipeline.Tests.Support;
using SkiaSharp;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// The built-in networks trim the margin around an image's content before letterboxing it
/// (<see cref="ResizeMode.TrimPaperAndPad"/>), so the same drawing gives the same features whatever margin its file has;
/// <c>--trim-margins Off</c> (<c>Pipeline:TrimMargins</c>) gives back whole-image letterboxing, under its own cache key.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class TrimmedMarginsTests
{
    [Fact]
    public void The_built_in_networks_trim_by_default_and_letterbox_the_whole_image_when_turned_off()
    {
        var root = RepositoryPaths.NewTempFolder("trim-catalog");
        var trimming = BackboneCatalog.CreateDefault(root);
        var border = BackboneCatalog.CreateDefault(root, MarginTrimming.Border);
        var white = BackboneCatalog.CreateDefault(root, MarginTrimming.White);
        var whole = BackboneCatalog.CreateDefault(root, MarginTrimming.Off);

        foreach (var name in new[]
                 {
                     BackboneCatalog.Resnet18, BackboneCatalog.Resnet18Spatial, BackboneCatalog.Resnet18Outlined,
                     BackboneCatalog.MobilenetV2, BackboneCatalog.InceptionV3,
                 })
        {
            Assert.Equal(ResizeMode.TrimPaperAndPad, trimming.Get(name).Resize);
            Assert.Equal(ResizeMode.TrimBorderAndPad, border.Get(name).Resize);
            Assert.Equal(ResizeMode.TrimAndPad, white.Get(name).Resize);
            Assert.Equal(ResizeMode.Pad, whole.Get(name).Resize);
        }

        // The guard without a network reads the whole image, stretched, whatever the setting.
        Assert.Equal(ResizeMode.Stretch, trimming.Get(BackboneCatalog.RawPixels).Resize);
        Assert.Equal(ResizeMode.Stretch, whole.Get(BackboneCatalog.RawPixels).Resize);
    }

    /// <summary>
    /// A clip in a narrow and in a wide margin: the default reads both as the same pixels, where <paramref name="other"/>
    /// cuts nothing (a transparent margin letterboxed whole; a kraft one under the white-only rule), so its clip is a
    /// patch of a third of the input in one and nearly all of it in the other.
    /// </summary>
    [Theory]
    [InlineData("transparent", MarginTrimming.Off)]
    [InlineData("kraft", MarginTrimming.White)]
    public async Task A_clip_in_a_narrow_and_in_a_wide_margin_gets_the_same_features_and_a_cache_key_of_its_own(
        string margin, MarginTrimming other)
    {
        var clip = ResNet18TestImages.Load(1)[0];
        SKColor? paper = margin == "kraft" ? new SKColor(206, 178, 138) : null;
        var narrow = InMargin(clip, canvasScale: 1.25, left: 0.5, top: 0.5, paper);
        var wide = InMargin(clip, canvasScale: 3, left: 0.1, top: 0.5, paper);
        var byDefault = await PrepareResnet18(MarginTrimming.Paper);
        var byOther = await PrepareResnet18(other);
        using var trimmed = new ImageFeaturizer(byDefault);
        using var untrimmed = new ImageFeaturizer(byOther);

        var trimmedDistance = FeatureAgreement.RelativeL2(trimmed.Featurize(wide), trimmed.Featurize(narrow));
        var untrimmedDistance = FeatureAgreement.RelativeL2(untrimmed.Featurize(wide), untrimmed.Featurize(narrow));

        // Both margins are wider than the border trimming keeps, so both trim to the same pixels.
        Assert.True(trimmedDistance < 0.02, $"trimmed: relative distance {trimmedDistance:0.000}");
        Assert.True(untrimmedDistance > 0.2, $"{other}: relative distance {untrimmedDistance:0.000}");
        Assert.NotEqual(byDefault.Descriptor.FeatureKey, byOther.Descriptor.FeatureKey);
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
