using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.FineTuning.LastStage;
using Pipeline.FineTuning.Tuning;

namespace Pipeline.FineTuning.Tests;

/// <summary>
/// What the last-stage tests share, built once per class: the package graph (45 MB to parse), its last stage, four
/// clip-art images and their stage-3 activations from ONNX Runtime.
/// </summary>
public sealed class PackageStage : IAsyncLifetime
{
    public ResNet18PackageFiles Package { get; } = ResNet18PackageFiles.Locate();
    internal ModelProto Network { get; private set; } = null!;
    internal LastStageGraph Graph { get; private set; } = null!;
    public IReadOnlyList<LabelledImage> Images { get; private set; } = [];
    public IReadOnlyDictionary<string, float[]> Stage3 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Network = OnnxModelFile.Read(Package.Network);
        Graph = LastStageGraph.Read(Network.Graph);
        Images = await PackageFeatures.ClipArtAsync("stage", ["animals", "buildings", "food", "plants"], 1);
        using var extractor = new Stage3Activations(Package, Network.Graph, ClipArtFolder.NewTempFolder("stage3"));
        Stage3 = await extractor.ComputeAsync(Images, ImageView.Original, progress: null, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
