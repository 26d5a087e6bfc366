using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipeline.Backbones;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

[Collection(ServiceCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class RestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(8);

    [Theory]
    [InlineData("memory")]
    [InlineData("postgres")]
    public async Task Killed_during_training_every_offline_architecture_resumes_after_restart_and_promotes_with_no_half_model(string storage)
    {
        var data = new ServiceTestData($"restart-{storage}");
        await using var schema = storage == "postgres" ? await PostgresSchema.CreateAsync() : null;
        await data.CommitAsync(["buildings", "people", "plants"], 16, "test:first");
        // Architectures empty = every offline backbone. A feature cache of its own makes featurising real work, and one
        // worker runs the candidates one after the other, so there is always a moment when one is complete and the
        // other busy: the kill lands there and tests both halves of resuming (reuse the finished one, redo the other).
        var settings = ServiceTestData.Settings("", [("Pipeline:FeatureCacheFolder", Path.Combine(data.DataRoot, "features")),
            ("Pipeline:Jobs:WorkerCount", "1"),
            // Resuming is the subject, and it reads every view through the same cache: style views would only triple the
            // featurising of both ResNet18 candidates (the drop and agreement tests train with them).
            ("Pipeline:StyleViews", "false"), .. schema?.Settings ?? []]);
        var clock = Stopwatch.StartNew();

        var first = await ServiceProcess.StartAsync(data.DataRoot, settings);
        JsonNode busy;
        string[] completeAtKill;
        try
        {
            busy = await Poll.UntilAsync(async () =>
            {
                using var record = await first.Client.GetAsync("/api/jobs/dataset-000001");
                if (!record.IsSuccessStatusCode) return null; // not created yet
                var state = JsonNode.Parse(await record.Content.ReadAsStringAsync())!["state"]!.GetValue<string>();
                if (state != "Training")
                    throw new InvalidOperationException($"The retrain reached {state} before the kill point was seen.\n{first.Output}");
                var jobs = (await first.Client.GetJsonAsync("/api/jobs"))["jobs"]!.AsArray();
                var running = jobs.FirstOrDefault(j => j!["kind"]!.GetValue<string>() == "candidate" &&
                    j["state"]!.GetValue<string>() == "running" && j["stage"]!.GetValue<string>() is "featurise" or "train");
                var finished = jobs.Any(j => j!["kind"]!.GetValue<string>() == "candidate" && j["state"]!.GetValue<string>() == "succeeded");
                return finished ? running : null;
            }, TrainingDeadline, "one candidate complete while another is in featurise or train", () => first.Output);
            await first.KillAsync();
            completeAtKill = CompleteCandidates(data.DataRoot);
        }
        finally
        {
            await first.DisposeAsync();
        }

        output.WriteLine($"[{storage}] killed at {clock.Elapsed.TotalSeconds:0.0} s while {busy["architecture"]} was in {busy["stage"]} " +
                         $"({busy["imagesProcessed"]}/{busy["imagesTotal"]} images); complete then: [{string.Join(", ", completeAtKill)}]");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(data.DataRoot, "models", "versions")));
        Assert.NotEmpty(completeAtKill);
        var stamps = completeAtKill.ToDictionary(a => a, a => File.GetLastWriteTimeUtc(ManifestOf(data.DataRoot, a)));

        await using var second = await ServiceProcess.StartAsync(data.DataRoot, settings);
        var retrain = await Poll.RetrainAsync(second.Client, 1, TrainingDeadline, () => second.Output, "Completed");
        output.WriteLine($"[{storage}] kill, restart and finish: {clock.Elapsed.TotalSeconds:0.0} s in all");

        Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());
        // PostgreSQL kept the dead process's job in Processing; the start-up sweep replaced it instead of waiting out
        // the invisibility timeout.
        if (storage == "postgres") Assert.Contains("was processing on a stopped server", second.Output);
        var architectures = retrain["architectures"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        // Every architecture of the offline default set (the catalog decides it; InceptionV3 left it in issue 16).
        var offline = BackboneCatalog.BuiltIn.Where(d => d.WorksOffline && d.InDefaultSet).Select(d => d.Name).Order().ToList();
        Assert.Equal(offline, architectures.Order());
        Assert.All(architectures, a => Assert.Equal("Completed", retrain["candidates"]![a]!["state"]!.GetValue<string>()));
        // A candidate finished before the kill was reused, not trained again.
        foreach (var (architecture, stamp) in stamps)
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(ManifestOf(data.DataRoot, architecture)));

        var versions = Directory.EnumerateDirectories(Path.Combine(data.DataRoot, "models", "versions")).ToList();
        Assert.Equal(["000001"], versions.Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(versions[0], "model.json")) && File.Exists(Path.Combine(versions[0], "head.zip")));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(data.DataRoot, "jobs", "dataset-000001", "candidates"), ".*"));
        Assert.Equal(1, (await RetrainFlowTests.PredictAsync(second.Client, ServiceTestData.ProbeImages("plants", 1)[0]))["modelVersion"]!.GetValue<int>());
    }

    private static string ManifestOf(string dataRoot, string architecture) =>
        Path.Combine(dataRoot, "jobs", "dataset-000001", "candidates", architecture, "model.json");

    private static string[] CompleteCandidates(string dataRoot)
    {
        var folder = Path.Combine(dataRoot, "jobs", "dataset-000001", "candidates");
        return Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Select(n => n!).ToArray()
            : [];
    }
}
