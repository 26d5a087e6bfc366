using Pipeline.Backbones;
using Pipeline.Features;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// <c>Resnet18Outlined</c>: one ONNX graph that computes an image's outline itself and returns
/// <c>[f(x), f(outline x)]</c>, equal to the built-in Resnet18's features of the image and of its outline view
/// (<see cref="ImageStyleViews.Outline"/>, computed in C#), so training, predict and export can treat it as any backbone.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class OutlinePairingTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task Its_features_are_resnet18s_of_the_image_then_of_the_outline_the_service_draws()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var outlined = await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18Outlined);
        var plain = await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18);
        using var paired = new ImageFeaturizer(outlined);
        using var resnet18 = new ImageFeaturizer(plain);
        var images = ResNet18TestImages.Load(3);
        var length = plain.Descriptor.FeatureLength;

        Assert.Equal(2 * length, outlined.Descriptor.FeatureLength);
        // Merged into ResNet18's shared trunk, its layers would be fed the image alone.
        Assert.False(SharedTrunk.CanShareRun([outlined, plain]));
        var batch = paired.FeaturizeBatch(images);
        for (var i = 0; i < images.Count; i++)
        {
            var expected = resnet18.FeaturizeViews(images[i], [ImageView.Original, ImageView.Outline]);
            var image = FeatureAgreement.RelativeL2(batch[i].AsSpan(0, length), expected[0]);
            var outline = FeatureAgreement.RelativeL2(batch[i].AsSpan(length, length), expected[1]);
            Assert.True(image < Tolerance, $"image {i}: the image's half differs by {image:E2}");
            Assert.True(outline < Tolerance, $"image {i}: the outline's half differs by {outline:E2}");
            // The outline is not the image: a graph that fed the image twice would pass the first check only.
            Assert.True(FeatureAgreement.RelativeL2(expected[1], expected[0]) > 0.1);
        }
    }

    [Fact]
    public void It_is_offered_but_not_trained_by_default()
    {
        var catalog = BackboneCatalog.CreateDefault(RepositoryPaths.NewTempFolder("outlined-catalog"));

        Assert.DoesNotContain(BackboneCatalog.Resnet18Outlined, catalog.OfflineDefaults);
        Assert.True(catalog.Get(BackboneCatalog.Resnet18Outlined).WorksOffline);
    }
}
