using System.Text.Json.Nodes;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class SupersedeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Newer_version_supersedes_a_running_retrain_whose_jobs_exit_early_and_only_the_newer_one_is_promoted()
    {
        var data = new ServiceTestData("supersede");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        // InceptionV3 on a cold feature cache keeps the first retrain busy long enough to be overtaken.
        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("InceptionV3,RawPixels",
            ("Pipeline:FeatureCacheFolder", Path.Combine(data.DataRoot, "features"))));
        await Poll.UntilAsync(async () =>
            (await service.Client.GetJsonAsync("/api/jobs"))["jobs"]!.AsArray().FirstOrDefault(j =>
                j!["retrainId"]!.GetValue<string>() == "dataset-000001" && j["architecture"]?.GetValue<string>() == "InceptionV3" &&
                j["state"]!.GetValue<string>() == "running"),
            TrainingDeadline, "the first retrain's InceptionV3 job to run", () => service.Output);

        await data.CommitAsync(ServiceTestData.ThreeLabels, 22, "test:second");
        var first = await Poll.RetrainAsync(service.Client, 1, TimeSpan.FromMinutes(1), () => service.Output, "Superseded");
        Assert.Equal("superseded by dataset version 2", first["reason"]!.GetValue<string>());
        var second = await Poll.RetrainAsync(service.Client, 2, TrainingDeadline, () => service.Output, "Completed");
        Assert.True(second["promoted"]!.GetValue<bool>());

        var jobs = (await service.Client.GetJsonAsync("/api/jobs"))["jobs"]!.AsArray();
        var older = jobs.Where(j => j!["retrainId"]!.GetValue<string>() == "dataset-000001").ToList();
        output.WriteLine(string.Join("\n", older.Select(j => $"{j!["architecture"]}: {j["state"]} {j["message"]}")));
        Assert.Contains(older, j => j!["architecture"]?.GetValue<string>() == "InceptionV3" && j["state"]!.GetValue<string>() == "exited");
        Assert.DoesNotContain(older, j => j!["kind"]!.GetValue<string>() == "evaluate");
        var models = (await service.Client.GetJsonAsync("/api/models")).AsArray();
        Assert.All(models, m => Assert.Equal(2, m!["datasetVersion"]!.GetValue<int>()));
        var decisions = (await service.Client.GetJsonAsync("/api/models/decisions")).AsArray();
        Assert.Equal([2], decisions.Select(d => d!["datasetVersion"]!.GetValue<int>()));
    }
}
