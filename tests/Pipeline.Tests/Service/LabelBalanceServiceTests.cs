using System.Text.Json.Nodes;
using Pipeline.Datasets;
using Pipeline.Datasets.Store;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// The service balances a dataset whose labels differ 2:1 (its default), and says so where people look: the model's
/// <c>crossValidation</c> in <c>GET /api/models/{v}</c>, the head line of its page, and the dashboard's models table.
/// </summary>
[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class LabelBalanceServiceTests
{
    private const int PerLabel = 16;

    [Fact]
    public async Task A_dataset_with_one_label_half_the_others_trains_balanced_and_the_model_page_says_so()
    {
        var data = new ServiceTestData("balance-service");
        var scan = await LabelledFolderScanner.ScanAsync(ServiceTestData.SampleFolder(ServiceTestData.ThreeLabels, PerLabel), new ScanOptions());
        var small = ServiceTestData.ThreeLabels[^1];
        var images = scan.Images.Where(i => i.Label != small)
            .Concat(scan.Images.Where(i => i.Label == small).OrderBy(i => i.Sha256, StringComparer.Ordinal).Take(PerLabel / 2))
            .ToList();
        foreach (var image in images) await data.Store.StoreImageAsync(image);
        await data.Store.CommitAsync(images.Select(DatasetEntry.From).ToList(), "test:uneven");

        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels"));
        var retrain = await Poll.RetrainAsync(service.Client, 1, TimeSpan.FromMinutes(6), () => service.Output, "Completed");
        Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());

        var cv = (await service.Client.GetJsonAsync("/api/models/1"))["crossValidation"]!;
        Assert.True(cv["balancedLabels"]!.GetValue<bool>(), cv.ToJsonString());
        var page = await service.Client.GetStringAsync("/models/1");
        Assert.Contains("data-balanced-labels=\"true\"", page);
        Assert.Contains("each label weighed the same", page);
        Assert.Contains("labels balanced", await service.Client.GetStringAsync("/hangfire/models"));
    }
}
