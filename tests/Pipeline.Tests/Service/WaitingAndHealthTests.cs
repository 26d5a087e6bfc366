using System.Net;
using System.Text.Json.Nodes;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

/// <summary>
/// Waiting for labels and /health, with the service hosted in the test process: its restart on the same data root is a
/// graceful one, which an in-process host gives as well as a process. Still in the serial collection: it trains, and
/// its deadlines assume no other retrain shares the two cores.
/// </summary>
[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class WaitingAndHealthTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Single_label_version_waits_for_a_second_label_and_the_next_version_trains()
    {
        var data = new ServiceTestData("waiting");
        await data.CommitAsync(["animals"], 16, "test:one-label");
        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels"));

        var waiting = await Poll.RetrainAsync(service.Client, 1, TimeSpan.FromMinutes(1), () => service.Output, "WaitingForLabels");
        Assert.Contains("waiting for a second label", waiting["reason"]!.GetValue<string>());
        Assert.Empty((await service.Client.GetJsonAsync("/api/jobs"))["jobs"]!.AsArray());
        var health = await service.Client.GetJsonAsync("/health");
        Assert.Equal("ready", health["status"]!.GetValue<string>());
        Assert.Equal("no model has been trained yet", health["reason"]!.GetValue<string>());
        // Health checks cover the model, Hangfire's storage and its workers (this process's server among them).
        var checks = health["checks"]!;
        Assert.Equal("Healthy", checks["model"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", checks["storage"]!["status"]!.GetValue<string>());
        var workers = await Poll.UntilAsync(async () => (await service.Client.GetJsonAsync("/health"))["checks"]!["workers"] is
            { } w && w["status"]!.GetValue<string>() == "Healthy" ? w : null, TimeSpan.FromSeconds(30), "a job server", () => service.Output);
        Assert.NotEmpty(workers["data"]!["servers"]!.AsArray());

        await data.CommitAsync(["animals", "food"], 16, "test:two-labels");
        var trained = await Poll.RetrainAsync(service.Client, 2, TrainingDeadline, () => service.Output, "Completed");
        Assert.True(trained["promoted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Health_is_503_with_the_reason_when_the_promoted_model_cannot_be_loaded()
    {
        var data = new ServiceTestData("health");
        await data.CommitAsync(["animals", "food"], 16, "test:first");
        var settings = ServiceTestData.Settings("RawPixels");
        await using (var first = await InProcessService.StartAsync(data.DataRoot, settings))
            await Poll.RetrainAsync(first.Client, 1, TrainingDeadline, () => first.Output, "Completed");

        await File.WriteAllTextAsync(Path.Combine(data.DataRoot, "models", "versions", "000001", "head.zip"), "not a zip");
        await using var second = await InProcessService.StartAsync(data.DataRoot, settings);
        var unhealthy = await Poll.UntilAsync(async () =>
        {
            using var response = await second.Client.GetAsync("/health");
            return response.StatusCode == HttpStatusCode.ServiceUnavailable
                ? JsonNode.Parse(await response.Content.ReadAsStringAsync())
                : null;
        }, TimeSpan.FromMinutes(1), "/health to report 503", () => second.Output);
        output.WriteLine(unhealthy.ToJsonString());
        Assert.Equal("not ready", unhealthy["status"]!.GetValue<string>());
        Assert.Contains("head.zip", unhealthy["reason"]!.GetValue<string>());
        Assert.Equal("Unhealthy", unhealthy["checks"]!["model"]!["status"]!.GetValue<string>());
    }
}
