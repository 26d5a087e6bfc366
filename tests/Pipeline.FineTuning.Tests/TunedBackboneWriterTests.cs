using Pipeline.Backbones;
using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Tfjs;
using Pipeline.Features;
using Pipeline.FineTuning.LastStage;
using Pipeline.FineTuning.Tuning;
using Pipeline.Images;
using static TorchSharp.torch;

namespace Pipeline.FineTuning.Tests;

/// <summary>
/// Tuned weights written back into the ONNX initializers give, on ONNX Runtime, the features the tuned torch stage
/// computes, while the taps before the stage stay those of the untuned Resnet18; the descriptor makes it a custom
/// backbone that reads images the way the built-in Resnet18 does.
/// </summary>
[Collection(PackageStageCollection.Name)]
[Trait("Kind", "Unit")]
public sealed class TunedBackboneWriterTests(PackageStage fixture)
{
    [Fact]
    public async Task Changed_stage_weights_reach_the_written_backbone_and_nothing_before_the_stage_changes()
    {
        var (package, network, images, stage3) = (fixture.Package, fixture.Network, fixture.Images, fixture.Stage3);
        using var stage = new LastStageModule(fixture.Graph, network.Graph);
        random.manual_seed(11);
        using (no_grad())
        {
            foreach (var parameter in stage.parameters())
                parameter.add_(randn_like(parameter) * parameter.std() * 0.2);
        }

        var root = ClipArtFolder.NewTempFolder("writer");
        var custom = Path.Combine(root, "custom");
        var json = await TunedBackboneWriter.WriteAsync(TunedBackboneWriter.WithInitializers(network, stage.TensorsByInitializer), package,
            "Tuned", custom);

        var definition = BackboneCatalog.CreateDefault(root).Get("Tuned");
        Assert.Equal(Path.Combine(custom, "Tuned.json"), json);
        Assert.Equal(ResizeMode.TrimPaperAndPad, definition.Resize);
        Assert.Equal(PixelScaling.Raw, definition.Scaling);
        Assert.False(definition.InDefaultSet);

        var (taps, untuned) = await PackageFeatures.ComputeAsync(package, ResNet18Taps.Pooled, TapPooling.AverageAndMax, images);
        var tuned = await PackageFeatures.RunAsync(Path.Combine(custom, "Tuned.onnx"), taps, TapPooling.AverageAndMax, images);

        var beforeStage = taps.Where(t => !t.Layer.StartsWith("ReLU379", StringComparison.Ordinal) &&
                                          !t.Layer.StartsWith(LastStageGraph.PoolTensor, StringComparison.Ordinal)).Sum(t => t.Length);
        var pool = taps.Single(t => t.Layer == LastStageGraph.PoolTensor);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.True(PackageFeatures.RelativeError(untuned[i].AsSpan(0, beforeStage), tuned[i].AsSpan(0, beforeStage)) < 1e-6,
                "stages 1-3 changed");
            using var scope = NewDisposeScope();
            var expected = stage.forward(tensor(stage3[images[i].Sha256], [1, 256, 14, 14])).flatten().data<float>().ToArray();
            var written = tuned[i].AsSpan(pool.Offset, pool.Length);
            Assert.True(PackageFeatures.RelativeError(expected, written) < 1e-4, "the written stage is not the torch stage");
            Assert.True(PackageFeatures.RelativeError(untuned[i].AsSpan(pool.Offset, pool.Length), written) > 1e-2,
                "the perturbation did not reach the written backbone");
        }
    }
}
