using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class PromotionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Challenger_short_of_the_margin_is_not_promoted_and_the_decision_records_why()
    {
        var data = new ServiceTestData("promotion-margin");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        // A margin of 1.0 can only be met by beating a champion's accuracy by 100 points: never, after the first model.
        await using var service = await InProcessService.StartAsync(data.DataRoot,
            ServiceTestData.Settings("MobilenetV2,RawPixels", ("Pipeline:PromotionMargin", "1.0")));
        await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");

        // A new version committed by another process while the service runs is noticed and retrained.
        await data.CommitAsync(ServiceTestData.ThreeLabels, 22, "test:second");
        var second = await Poll.RetrainAsync(service.Client, 2, TrainingDeadline, () => service.Output, "Completed");

        Assert.False(second["promoted"]!.GetValue<bool>(), second.ToJsonString());
        Assert.Equal(1, (await service.Client.GetJsonAsync("/api/models/current"))["version"]!.GetValue<int>());
        var decisions = (await service.Client.GetJsonAsync("/api/models/decisions")).AsArray();
        Assert.Equal(2, decisions.Count);
        Assert.True(decisions[0]!["promoted"]!.GetValue<bool>());
        Assert.Contains("first model", decisions[0]!["reason"]!.GetValue<string>());
        var refused = decisions[1]!;
        output.WriteLine($"decision: {refused["reason"]}");
        Assert.False(refused["promoted"]!.GetValue<bool>());
        Assert.Equal(2, refused["challenger"]!.GetValue<int>());
        Assert.Equal(1, refused["championBefore"]!.GetValue<int>());
        Assert.NotNull(refused["championMacroAccuracy"]?.GetValue<double>());
        Assert.Contains("margin 1.000", refused["reason"]!.GetValue<string>());
        Assert.Contains("champion keeps serving", refused["reason"]!.GetValue<string>());
        Assert.Equal(1, (await RetrainFlowTests.PredictAsync(service.Client, ServiceTestData.ProbeImages("food", 1)[0]))["modelVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Manual_promotion_and_rollback_swap_the_model_under_concurrent_predict_load_without_a_failed_request()
    {
        var data = new ServiceTestData("promotion-rollback");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        await using var service = await InProcessService.StartAsync(data.DataRoot,
            ServiceTestData.Settings("MobilenetV2,RawPixels", ("Pipeline:PromotionMargin", "1.0")));
        await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 22, "test:second");
        await Poll.RetrainAsync(service.Client, 2, TrainingDeadline, () => service.Output, "Completed");

        // Eight clients predict without pause while v2 is promoted by hand and then rolled back to v1.
        var images = ServiceTestData.ProbeImages("animals", 4);
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<int, int>();
        var requests = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = service.BaseAddress };
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var content = new ByteArrayContent(images[(c + i) % images.Count]);
                content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                using var response = await client.PostAsync("/api/predict", content);
                var body = await response.Content.ReadAsStringAsync();
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode) failures.Enqueue($"{(int)response.StatusCode} {body}");
                else seen.AddOrUpdate(JsonNode.Parse(body)!["modelVersion"]!.GetValue<int>(), 1, (_, n) => n + 1);
            }
        })).ToList();

        await Poll.UntilAsync(() => Task.FromResult(seen.ContainsKey(1) ? "" : null), TimeSpan.FromMinutes(1), "predictions from v1");
        var promoted = await PromoteAsync(service.Client, 2);
        Assert.True(promoted["serving"]!.GetValue<bool>());
        await Poll.UntilAsync(() => Task.FromResult(seen.ContainsKey(2) ? "" : null), TimeSpan.FromMinutes(1), "predictions from v2",
            () => $"seen: {string.Join(", ", seen)}; failures: {string.Join("\n", failures)}");
        var countOfOneBefore = seen[1];
        await PromoteAsync(service.Client, 1);
        await Poll.UntilAsync(() => Task.FromResult(seen[1] > countOfOneBefore + 16 ? "" : null), TimeSpan.FromMinutes(1),
            "predictions from v1 again after the rollback");
        stop.Cancel();
        await Task.WhenAll(clients);

        output.WriteLine($"{requests} predict requests across two swaps; per version: {string.Join(", ", seen.OrderBy(p => p.Key))}");
        Assert.Empty(failures);
        Assert.Equal(1, (await service.Client.GetJsonAsync("/api/models/current"))["version"]!.GetValue<int>());
        var decisions = (await service.Client.GetJsonAsync("/api/models/decisions")).AsArray();
        Assert.Equal(["automatic", "automatic", "manual", "rollback"], decisions.Select(d => d!["kind"]!.GetValue<string>()));
        Assert.Equal(1, (await service.Client.GetJsonAsync("/health"))["servingVersion"]!.GetValue<int>());
    }

    private static async Task<JsonNode> PromoteAsync(HttpClient client, int version)
    {
        using var response = await client.PostAsync($"/api/models/{version}/promote", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"promote v{version}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
