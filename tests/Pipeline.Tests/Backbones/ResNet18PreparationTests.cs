using Pipeline.Backbones;
using Pipeline.Backbones.MlNet;
using Pipeline.Features;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// The ResNet18 prepared from ML.NET's NuGet package against the package's own, unmodified graphs: same numbers, a
/// batch dimension that really is dynamic, and pooling that is what it says.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class ResNet18PreparationTests(ITestOutputHelper output)
{
    // Float sums in another order (BGR folded into the first convolution, fused BatchNormalization) differ by ~1e-7.
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task Prepared_graph_gives_the_package_graphs_final_pool_one_image_at_a_time_and_in_a_batch()
    {
        var backbone = await PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot).Backbones.PrepareAsync(BackboneCatalog.Resnet18);
        var images = ResNet18TestImages.Load(4);
        using var featurizer = new ImageFeaturizer(backbone);
        using var package = new PackageResNet18();
        var finalPool = backbone.Descriptor.Taps.Single(t => t.Layer == PackageResNet18.FinalPool);
        Assert.Equal(512, finalPool.Length);

        var singles = images.Select(image => featurizer.Featurize(image)).ToList();
        var batch = featurizer.FeaturizeBatch(images);
        var expected = images.Select(image => package.Run(PackageResNet18.Pixels(image), PackageResNet18.FinalPool, 512)).ToList();

        for (var i = 0; i < images.Count; i++)
        {
            var single = FeatureAgreement.RelativeL2(singles[i].AsSpan(finalPool.Offset, finalPool.Length), expected[i]);
            var batched = FeatureAgreement.RelativeL2(batch[i].AsSpan(finalPool.Offset, finalPool.Length), expected[i]);
            var rowVsSingle = FeatureAgreement.RelativeL2(batch[i], singles[i]);
            output.WriteLine($"image {i}: final pool vs package {single:E2} (batch 1), {batched:E2} (batch {images.Count}); " +
                             $"whole batch row vs single {rowVsSingle:E2}");
            Assert.True(single < Tolerance, $"image {i}: batch-1 final pool differs from the package's by {single:E3}");
            Assert.True(batched < Tolerance, $"image {i}: batched final pool differs from the package's by {batched:E3}");
            Assert.True(rowVsSingle < Tolerance, $"image {i}: its row of the batch differs from its own run by {rowVsSingle:E3}");
        }

        // Different pictures give different features: a batch that repeated its first row would fail here.
        Assert.True(FeatureAgreement.RelativeL2(batch[1], batch[0]) > 0.1);
    }

    [Fact]
    public async Task Stage_taps_are_the_stage_outputs_pooled_globally_and_on_grids_as_computed_by_hand()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var spatial = await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18Spatial);
        var pooled = await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18);
        Assert.Equal(6656, spatial.Descriptor.FeatureLength);
        var image = ResNet18TestImages.Load(1)[0];
        using var package = new PackageResNet18();
        var pixels = PackageResNet18.Pixels(image);
        var stage2 = new FeatureMap(package.Run(pixels, "ReLU315_Output_0", 128 * 28 * 28), 128, 28);
        var stage3 = new FeatureMap(package.Run(pixels, "ReLU347_Output_0", 256 * 14 * 14), 256, 14);

        using (var featurizer = new ImageFeaturizer(spatial))
        {
            var features = featurizer.Featurize(image);
            AssertSlice(features, spatial, "ReLU315_Output_0@4x4", [.. stage2.Pool(4, average: true), .. stage2.Pool(4, average: false)]);
            AssertSlice(features, spatial, "ReLU347_Output_0@2x2", [.. stage3.Pool(2, average: true), .. stage3.Pool(2, average: false)]);
            AssertSlice(features, spatial, PackageResNet18.FinalPool, package.Run(pixels, PackageResNet18.FinalPool, 512));
        }

        using (var featurizer = new ImageFeaturizer(pooled))
        {
            var features = featurizer.Featurize(image);
            AssertSlice(features, pooled, "ReLU315_Output_0", [.. stage2.Pool(1, average: true), .. stage2.Pool(1, average: false)]);
            AssertSlice(features, pooled, "ReLU347_Output_0", [.. stage3.Pool(1, average: true), .. stage3.Pool(1, average: false)]);
        }
    }

    [Theory]
    [InlineData("ReLU315_Output_0", "ReLU315_Output_0", 1)]
    [InlineData("ReLU315_Output_0@4x4", "ReLU315_Output_0", 4)]
    public void A_tap_names_a_tensor_and_optionally_a_square_grid(string text, string tensor, int grid)
    {
        var tap = ResNet18Tap.Parse(text);
        Assert.Equal(new ResNet18Tap(tensor, grid), tap);
        Assert.Equal(text, tap.ToString());
    }

    [Theory]
    [InlineData("ReLU315_Output_0@4x2")]
    [InlineData("ReLU315_Output_0@0x0")]
    [InlineData("@4x4")]
    [InlineData("ReLU315_Output_0@4")]
    public void A_tap_with_a_grid_that_is_not_a_positive_square_is_refused(string text) =>
        Assert.Contains("tensor@GxG", Assert.Throws<ArgumentException>(() => ResNet18Tap.Parse(text)).Message);

    [Fact]
    public void A_grid_that_does_not_tile_the_map_is_refused_at_preparation()
    {
        var path = Path.Combine(RepositoryPaths.NewTempFolder("resnet18-bad-grid"), "backbone.onnx");
        var error = Assert.Throws<ArgumentException>(() => ResNet18GraphRewriter.Rewrite(ResNet18PackageFiles.Locate(),
            ["ReLU347_Output_0@3x3"], Pipeline.Backbones.Tfjs.TapPooling.Average, path));
        Assert.Contains("14x14", error.Message);
        Assert.False(File.Exists(path));
    }

    private void AssertSlice(float[] features, PreparedBackbone backbone, string tap, float[] expected)
    {
        var slice = backbone.Descriptor.Taps.Single(t => t.Layer == tap);
        Assert.Equal(expected.Length, slice.Length);
        var error = FeatureAgreement.RelativeL2(features.AsSpan(slice.Offset, slice.Length), expected);
        output.WriteLine($"{backbone.Descriptor.Name} {tap}: {slice.Length} values, relative L2 error {error:E2}");
        Assert.True(error < Tolerance, $"{tap}: relative L2 error {error:E3}");
    }

    /// <summary>One image's [C, side, side] activations, pooled by plain loops over each grid cell.</summary>
    private sealed record FeatureMap(float[] Values, int Channels, int Side)
    {
        /// <returns>C x grid x grid values: channel, then cell row, then cell column.</returns>
        public float[] Pool(int grid, bool average)
        {
            var cell = Side / grid;
            var pooled = new List<float>();
            for (var c = 0; c < Channels; c++)
            for (var gy = 0; gy < grid; gy++)
            for (var gx = 0; gx < grid; gx++)
            {
                double sum = 0;
                var max = float.NegativeInfinity;
                for (var y = gy * cell; y < (gy + 1) * cell; y++)
                for (var x = gx * cell; x < (gx + 1) * cell; x++)
                {
                    var v = Values[(c * Side + y) * Side + x];
                    sum += v;
                    max = Math.Max(max, v);
                }

                pooled.Add(average ? (float)(sum / (cell * cell)) : max);
            }

            return pooled.ToArray();
        }
    }
}
