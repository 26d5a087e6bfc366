using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class RetrainFlowTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);

    [Theory]
    [InlineData("memory")]
    [InlineData("postgres")]
    public async Task Committed_version_trains_every_architecture_promotes_and_predict_answers_with_the_new_model(string storage)
    {
        var data = new ServiceTestData($"retrain-{storage}");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        await using var schema = storage == "postgres" ? await PostgresSchema.CreateAsync() : null;
        var clock = Stopwatch.StartNew();
        await using var service = await InProcessService.StartAsync(data.DataRoot,
            ServiceTestData.Settings("MobilenetV2,RawPixels", schema?.Settings ?? []));

        var retrain = await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");
        output.WriteLine($"[{storage}] start-up to promoted model: {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());
        Assert.Equal(1, retrain["registeredVersion"]!.GetValue<int>());
        foreach (var architecture in new[] { "MobilenetV2", "RawPixels" })
        {
            Assert.Equal("Completed", retrain["candidates"]![architecture]!["state"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(data.DataRoot, "jobs", "dataset-000001", "candidates", architecture, "model.json")));
        }

        var prediction = await PredictAsync(service.Client, ServiceTestData.ProbeImages("food", 1)[0]);
        Assert.Equal(1, prediction["modelVersion"]!.GetValue<int>());
        Assert.Contains(prediction["label"]!.GetValue<string>(), ServiceTestData.ThreeLabels);

        var health = await service.Client.GetJsonAsync("/health");
        Assert.Equal("ready", health["status"]!.GetValue<string>());
        Assert.Equal(1, health["servingVersion"]!.GetValue<int>());

        // A second trigger for the same version does nothing: same record, no new job, no new model or decision.
        using var again = await service.Client.PostAsync("/api/retrain", null);
        var againBody = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("dataset-000001", againBody["id"]!.GetValue<string>());
        Assert.Equal(retrain["updatedUtc"]!.GetValue<string>(), againBody["updatedUtc"]!.GetValue<string>());
        var jobs = await service.Client.GetJsonAsync("/api/jobs");
        Assert.Single(jobs["retrains"]!.AsArray());
        Assert.Equal(3, jobs["jobs"]!.AsArray().Count); // two candidates and one evaluation
        foreach (var job in jobs["jobs"]!.AsArray())
        {
            var one = await service.Client.GetJsonAsync($"/api/jobs/{job!["jobId"]!.GetValue<string>()}");
            Assert.Equal("succeeded", one["state"]!.GetValue<string>());
            Assert.Equal(100, one["percent"]!.GetValue<double>());
        }
        Assert.Single((await service.Client.GetJsonAsync("/api/models")).AsArray());
        Assert.Single((await service.Client.GetJsonAsync("/api/models/decisions")).AsArray());
    }

    internal static async Task<JsonNode> PredictAsync(HttpClient client, byte[] image)
    {
        using var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await client.PostAsync("/api/predict", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"predict: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
