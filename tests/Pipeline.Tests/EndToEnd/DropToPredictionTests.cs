using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pipeline.Backbones;
using Pipeline.Samples;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.EndToEnd;

/// <summary>The whole product path as a user meets it: a folder dropped in, a model trained and served, a prediction.</summary>
[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class DropToPredictionTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<string> Categories = ["animals", "food", "transportation"];
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Dropped_folder_is_ingested_trains_every_offline_architecture_and_predict_answers_with_the_promoted_model()
    {
        var dataRoot = RepositoryPaths.NewTempFolder("drop-to-predict");
        await using var service = await ServiceProcess.StartAsync(dataRoot, new Dictionary<string, string?>
        {
            ["Pipeline:DropQuietSeconds"] = "1",
            ["Pipeline:RetrainCron"] = "",
        });

        // Built outside drops/ and moved in with one rename, as a careful user (or rsync) would.
        var staging = RepositoryPaths.NewTempFolder("drop-staging");
        OpenclipartSample.Build(Path.Combine(staging, "clipart"), 16, Categories);
        Directory.Move(Path.Combine(staging, "clipart"), Path.Combine(dataRoot, "drops", "clipart"));

        var drops = await Poll.UntilAsync(async () =>
        {
            var list = await service.Client.GetJsonAsync("/api/drops");
            return list.AsArray().FirstOrDefault(d => d!["state"]!.GetValue<string>() is "Ingested" or "Rejected");
        }, Deadline, "the drop to be ingested", () => service.Output);
        Assert.Equal("Ingested", drops!["state"]!.GetValue<string>());
        var accepted = drops["accepted"]!.GetValue<int>();
        Assert.True(accepted >= 40, $"only {accepted} images accepted: {drops.ToJsonString()}");

        // A retrain is Completed once its model is promoted and swapped into the predict endpoint.
        var datasetVersion = drops["datasetVersion"]!.GetValue<int>();
        var retrain = await Poll.RetrainAsync(service.Client, datasetVersion, Deadline, () => service.Output, "Completed");
        var trained = retrain["candidates"]!.AsObject().Select(c => c.Key).Order().ToList();
        // The default set: the catalog's built-in offline ones that are in it (no custom backbones here).
        var offline = BackboneCatalog.BuiltIn.Where(d => d.WorksOffline && d.InDefaultSet).Select(d => d.Name).Order().ToList();
        Assert.DoesNotContain(BackboneCatalog.MobilenetV2, offline);
        Assert.DoesNotContain(BackboneCatalog.InceptionV3, offline);
        Assert.Equal(offline, trained);
        Assert.Contains(BackboneCatalog.RawPixels, trained);
        Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());

        var current = await service.Client.GetJsonAsync("/api/models/current");
        var version = current["version"]!.GetValue<int>();
        Assert.Equal(retrain["registeredVersion"]!.GetValue<int>(), version);
        Assert.Equal(Categories, current["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        output.WriteLine($"drop: {accepted} accepted; retrain: {retrain.ToJsonString()}");

        var image = Directory.EnumerateFiles(Path.Combine(dataRoot, "processed"), "*.png", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).First();
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(image));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var predict = await service.Client.PostAsync("/api/predict", content);
        var answer = JsonNode.Parse(await predict.Content.ReadAsStringAsync())!;
        Assert.True(predict.IsSuccessStatusCode, answer.ToJsonString());
        Assert.Equal(version, answer["modelVersion"]!.GetValue<int>());
        Assert.Contains(answer["label"]!.GetValue<string>(), Categories);
        output.WriteLine($"predict {Path.GetFileName(image)}: {answer.ToJsonString()}");
    }
}
