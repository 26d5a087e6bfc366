using Pipeline.Backbones.Tfjs;
using Pipeline.FineTuning.LastStage;
using static TorchSharp.torch;

namespace Pipeline.FineTuning.Tests;

/// <summary>
/// The torch copy of the last stage computes what ONNX Runtime computes from the package graph, block layout and
/// asymmetric padding included: otherwise tuning would optimise a different network from the one that serves.
/// </summary>
[Collection(PackageStageCollection.Name)]
[Trait("Kind", "Unit")]
public sealed class LastStageModuleTests(PackageStage fixture)
{
    [Fact]
    public async Task On_the_package_weights_the_torch_stage_reproduces_onnx_runtime_from_stage_three_activations()
    {
        var (package, graph, images, stage3) = (fixture.Package, fixture.Graph, fixture.Images, fixture.Stage3);
        Assert.Equal(3, graph.Blocks.Count);
        Assert.NotNull(graph.Blocks[0].Shortcut);
        Assert.Equal(new ConvPadding(1, 1, 0, 0), graph.Blocks[0].First.Padding);

        // The middle block's map (the Resnet18 tap ReLU379) and the final pool, straight from ONNX Runtime.
        var (_, reference) = await PackageFeatures.ComputeAsync(package,
            [$"{graph.Blocks[1].Output}@7x7", LastStageGraph.PoolTensor], TapPooling.Average, images);

        using var stage = new LastStageModule(graph, fixture.Network.Graph);
        foreach (var (image, expected) in images.Zip(reference))
        {
            using var scope = NewDisposeScope();
            var input = tensor(stage3[image.Sha256], [1, 256, 14, 14]);
            var blocks = stage.BlockOutputs(input);
            var middle = blocks[1].flatten().data<float>().ToArray();
            var pooled = stage.forward(input).flatten().data<float>().ToArray();
            Assert.True(PackageFeatures.RelativeError(expected.AsSpan(0, 512 * 49), middle) < 1e-4, $"{image.Path}: middle block");
            Assert.True(PackageFeatures.RelativeError(expected.AsSpan(512 * 49), pooled) < 1e-4, $"{image.Path}: final pool");
        }
    }
}
