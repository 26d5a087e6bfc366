using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipeline.Backbones;
using Pipeline.Samples;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.EndToEnd;

/// <summary>
/// A changed label set through the real service: a drop that adds labels to a served model's data leads to a served
/// model that knows them, and predict answers them.
/// </summary>
[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class NewLabelDropTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<string> FirstLabels = ["animals", "buildings", "food", "people", "plants"];
    private static readonly IReadOnlyList<string> NewLabels = ["recreation", "tools"];
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task A_drop_adding_two_labels_to_a_served_five_label_model_is_promoted_by_the_new_labels_rule_and_predict_answers_them()
    {
        var dataRoot = RepositoryPaths.NewTempFolder("new-labels");
        await using var service = await InProcessService.StartAsync(dataRoot,
            ServiceTestData.Settings(BackboneCatalog.Resnet18, ("Pipeline:DropQuietSeconds", "1")));

        var (first, _) = await DropAsync(service, "first", 16, FirstLabels);
        var v1 = await Poll.RetrainAsync(service.Client, first, Deadline, () => service.Output, "Completed");
        Assert.True(v1["promoted"]!.GetValue<bool>(), v1.ToJsonString());
        var champion = await service.Client.GetJsonAsync("/api/models/current");
        Assert.Equal(FirstLabels, Labels(champion));

        // The second drop: two labels the serving model has never seen, ten images each.
        var clock = Stopwatch.StartNew();
        var (second, dropped) = await DropAsync(service, "second", 10, NewLabels);
        var v2 = await Poll.RetrainAsync(service.Client, second, Deadline, () => service.Output, "Completed");
        var seconds = clock.Elapsed.TotalSeconds;
        Assert.True(v2["promoted"]!.GetValue<bool>(), v2.ToJsonString());

        var current = await service.Client.GetJsonAsync("/api/models/current");
        Assert.Equal(FirstLabels.Concat(NewLabels).Order(StringComparer.Ordinal), Labels(current));
        var decision = (await service.Client.GetJsonAsync("/api/models/decisions")).AsArray().Last()!;
        Assert.Equal("NewLabels", decision["rule"]!.GetValue<string>());
        Assert.Equal(NewLabels, decision["newLabels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.StartsWith("New-labels rule", decision["reason"]!.GetValue<string>());
        // The served head learned from every image; its test figures are the gate head's, fitted on the train part.
        var heads = current["heads"]!;
        Assert.True(heads["servedIsRefit"]!.GetValue<bool>(), heads.ToJsonString());
        Assert.True(heads["servedTrainImages"]!.GetValue<int>() > heads["gateTrainImages"]!.GetValue<int>(), heads.ToJsonString());
        output.WriteLine($"drop of {NewLabels.Count} new labels x 10 images -> served 7-label model v{current["version"]} in {seconds:0.0} s");
        output.WriteLine($"decision: {decision["reason"]}");

        // Predict answers the new labels: their dropped images, which the served head was refitted on.
        var version = current["version"]!.GetValue<int>();
        foreach (var label in NewLabels)
        {
            var answers = new List<string>();
            foreach (var image in dropped[label])
            {
                var answer = await RetrainFlowTests.PredictAsync(service.Client, image);
                Assert.Equal(version, answer["modelVersion"]!.GetValue<int>());
                answers.Add(answer["label"]!.GetValue<string>());
            }

            output.WriteLine($"{label}: {answers.Count(a => a == label)}/{answers.Count} predicted as {label}");
            Assert.True(answers.Count(a => a == label) * 2 >= answers.Count, $"{label}: {string.Join(", ", answers)}");
        }

        // Rolled back to the five-label model, / says the data has labels predict cannot answer, why the decision went
        // as it did, and offers to serve the seven-label model again.
        using (var rollback = await service.Client.PostAsync($"/api/models/{champion["version"]}/promote", null))
            Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());
        var home = await service.Client.GetStringAsync("/");
        Assert.Contains("id=\"label-change\"", home);
        Assert.Contains("recreation, tools", home);
        Assert.Contains("New-labels rule", home);
        Assert.Contains($"action=\"/api/models/{version}/promote\"", home);
        using (var promote = await service.Client.PostAsync($"/api/models/{version}/promote", null))
            Assert.True(promote.IsSuccessStatusCode, await promote.Content.ReadAsStringAsync());
        Assert.DoesNotContain("id=\"label-change\"", await service.Client.GetStringAsync("/"));
    }

    private static IEnumerable<string> Labels(JsonNode model) => model["labels"]!.AsArray().Select(l => l!.GetValue<string>());

    /// <summary>
    /// Builds a labelled folder outside drops/ and moves it in with one rename, as a careful user would; returns the
    /// dataset version its ingestion committed.
    /// </summary>
    private static async Task<(int DatasetVersion, Dictionary<string, List<byte[]>> Images)> DropAsync(IRunningService service,
        string name, int perLabel, IReadOnlyList<string> labels)
    {
        var before = (await service.Client.GetJsonAsync("/api/drops")).AsArray().Count;
        var staging = RepositoryPaths.NewTempFolder($"new-labels-{name}");
        OpenclipartSample.Build(Path.Combine(staging, name), perLabel, labels);
        var images = labels.ToDictionary(l => l, l => Directory.EnumerateFiles(Path.Combine(staging, name, l))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList());
        Directory.Move(Path.Combine(staging, name), Path.Combine(service.DataRoot, "drops", name));
        var drop = await Poll.UntilAsync(async () =>
        {
            var drops = (await service.Client.GetJsonAsync("/api/drops")).AsArray();
            var finished = drops.Where(d => d!["state"]!.GetValue<string>() is "Ingested" or "Rejected").ToList();
            return finished.Count > before ? finished.MaxBy(d => d!["datasetVersion"]?.GetValue<int>() ?? 0) : null;
        }, Deadline, $"drop {name} to be ingested", () => service.Output);
        Assert.Equal("Ingested", drop!["state"]!.GetValue<string>());
        return (drop["datasetVersion"]!.GetValue<int>(), images);
    }
}
