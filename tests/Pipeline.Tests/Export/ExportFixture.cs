using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Registry;
using Pipeline.Tests.Support;
using Pipeline.Retraining;
using Pipeline.Training;

namespace Pipeline.Tests.Export;

/// <summary>
/// Three real models trained once for the export tests on opaque openclipart images (4 labels x 25): MobileNetV2
/// features, the raw-pixel baseline and the combined InceptionV3+ResNet18 (two backbones at their own input sizes, 299
/// and 224, ONNX opsets 13 and 8), all with the default L-BFGS head. Each is trained once and then taken from
/// <see cref="TrainedModelCache"/> (keyed by the images, the options and the pipeline build); the tests only read them.
/// </summary>
public sealed class ExportFixture : IAsyncLifetime
{
    public static readonly IReadOnlyList<string> Categories = ["animals", "buildings", "food", "transportation"];
    public const int PerLabel = 25;

    public string ImagesFolder => Path.Combine(RepositoryPaths.SharedDataRoot, $"opaque-stretched-{PerLabel}");
    public string MobilenetModel { get; private set; } = "";
    public string RawPixelsModel { get; private set; } = "";
    public string CombinedModel { get; private set; } = "";

    /// <summary>Every image, in a fixed order.</summary>
    public IReadOnlyList<string> Images { get; private set; } = [];

    public async Task InitializeAsync()
    {
        OpaqueImages.Build(ImagesFolder, Categories, PerLabel);
        Images = Directory.GetFiles(ImagesFolder, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var scan = await LabelledFolderScanner.ScanAsync(ImagesFolder, new ScanOptions());
        // Style views change the head's weights, not what an export carries; without them the three models train faster.
        var retrainer = new Retrainer(environment, new RetrainOptions
        {
            Seed = 11, CombineBest = false, CrossValidation = CrossValidationOptions.Default with { StyleViews = false },
        });
        var plan = retrainer.Plan(scan.Images, ImagesFolder);
        MobilenetModel = await TrainedModelCache.GetAsync(retrainer, BackboneCatalog.MobilenetV2, plan, ImagesFolder);
        RawPixelsModel = await TrainedModelCache.GetAsync(retrainer, BackboneCatalog.RawPixels, plan, ImagesFolder);
        CombinedModel = await TrainedModelCache.GetAsync(retrainer,
            CandidateTrainer.CombinedName([BackboneCatalog.InceptionV3, BackboneCatalog.Resnet18]), plan, ImagesFolder);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class ExportCollection : ICollectionFixture<ExportFixture>
{
    public const string Name = "export models";
}
