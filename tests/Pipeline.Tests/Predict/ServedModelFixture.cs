using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Registry;
using Pipeline.Tests.Support;
using Pipeline.Retraining;

namespace Pipeline.Tests.Predict;

/// <summary>
/// A real model (ResNet18 features, L-BFGS head) trained on the sample images (once, then taken from
/// <see cref="TrainedModelCache"/>), registered and promoted in a data root of its own, and the service's composition serving it in the test process on real loopback sockets (the HTTP
/// contract is the point, not the process) with a small body limit to reach 413 cheaply.
/// </summary>
/// <remarks>
/// No test here depends on the architecture, only on a served model with an ONNX backbone: ResNet18 ships prepared (no
/// TensorFlow.js conversion, as MobileNetV2 needs on a fresh clone), and the export tests keep MobileNetV2 where its
/// graph is the point.
/// </remarks>
public sealed class ServedModelFixture : IAsyncLifetime
{
    public const long MaxImageBytes = 600_000;
    public const long MaxPixels = 500_000_000;

    private InProcessService? _service;

    public string DataRoot { get; } = RepositoryPaths.NewTempFolder("predict-api");
    public string ModelFolder => Path.Combine(DataRoot, "models", "versions", "000001");
    public IReadOnlyList<LabelledImage> TestImages { get; private set; } = [];
    internal InProcessService Service => _service ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        var sample = new SampleDataFixture();
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var scan = await LabelledFolderScanner.ScanAsync(sample.DataFolder, new ScanOptions());
        var retrainer = new Retrainer(environment, new RetrainOptions { Seed = 7, CombineBest = false });
        var plan = retrainer.Plan(scan.Images, sample.DataFolder);
        var trained = await TrainedModelCache.GetAsync(retrainer, BackboneCatalog.Resnet18, plan, sample.DataFolder);
        var registry = new ModelRegistry(Path.Combine(DataRoot, "models"));
        var model = await registry.RegisterAsync(trained);
        await registry.PromoteAsync(model.Version, new PromotionDecision
        {
            At = DateTimeOffset.UtcNow, Challenger = model.Version, Promoted = true, Reason = "test set-up", Kind = "manual",
        });
        TestImages = plan.Test;

        _service = await InProcessService.StartAsync(DataRoot, new Dictionary<string, string?>
        {
            ["Pipeline:Predict:MaxImageBytes"] = MaxImageBytes.ToString(),
            // One prediction at a time and no queue, so that a held slot is visible as 503 to the next caller.
            ["Pipeline:Predict:MaxConcurrent"] = "1",
            ["Pipeline:Predict:QueueLimit"] = "0",
            ["Pipeline:Predict:MaxPixels"] = MaxPixels.ToString(),
            ["Pipeline:RetrainCron"] = "",
        });
        await Service.Client.WaitUntilServingAsync(TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }
}
