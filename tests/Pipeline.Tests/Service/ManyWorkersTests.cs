using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Npgsql;
using Pipeline.Samples;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

/// <summary>
/// Several service processes on one PostgreSQL schema and one data root: a web+intake process and two workers. The
/// candidates of one retrain spread over both workers (Hangfire's Processing states name the server), a worker killed
/// mid-candidate has that candidate finished by the other one after the invisibility timeout, the retrain completes
/// and promotes exactly once, and the web process, which trained nothing, serves the promoted model.
/// </summary>
[Collection(ServiceCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class ManyWorkersTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Two_workers_share_a_retrain_survive_a_killed_worker_and_promote_once_to_the_web_process()
    {
        var data = new ServiceTestData("many-workers");
        await using var schema = await PostgresSchema.CreateAsync();
        // A feature cache of its own makes featurising real work, so the kill lands while a candidate is processing.
        (string, string?)[] shared =
        [
            ("Pipeline:FeatureCacheFolder", Path.Combine(data.DataRoot, "features")),
            ("Pipeline:DropQuietSeconds", "1"),
            ("Pipeline:Jobs:WorkerCount", "1"),
            ("Pipeline:Jobs:HeartbeatSeconds", "2"),
            // 15 s: a dead worker's job is handed to the other worker this long after its last keep-alive.
            ("Pipeline:Jobs:InvisibilityTimeoutMinutes", "0.25"),
            .. schema.Settings,
        ];
        const string architectures = "RawPixels,MobilenetV2,InceptionV3";
        await using var web = await ServiceProcess.StartAsync(data.DataRoot,
            ServiceTestData.Settings(architectures, [("Pipeline:Roles", "web,intake"), .. shared]));
        var workers = new Dictionary<string, ServiceProcess>();
        try
        {
            foreach (var name in new[] { "worker-a", "worker-b" })
                workers[name] = await ServiceProcess.StartAsync(data.DataRoot, ServiceTestData.Settings(architectures,
                    [("Pipeline:Roles", "worker"), ("Pipeline:Jobs:WorkerName", name), .. shared]));
            string Context() => $"web:\n{web.Output}\n" + string.Join("\n", workers.Select(w => $"{w.Key}:\n{w.Value.Output}"));

            await DropAsync(data.DataRoot, ServiceTestData.ThreeLabels, 12);

            // Each worker takes one candidate at a time, so the three candidates start on both workers.
            var processing = await Poll.UntilAsync(async () =>
            {
                var running = (await CandidateRunsAsync(schema)).Where(r => r.StillProcessing && r.Architecture != "RawPixels").ToList();
                return running.Count > 0 ? running : null;
            }, TrainingDeadline, "a backbone candidate processing on a worker", Context);
            var victim = processing[0];
            var killed = WorkerOf(victim.ServerId);
            output.WriteLine($"killing {killed} while it trains {victim.Architecture} (job {victim.JobId})");
            await workers[killed].KillAsync();

            var retrain = await Poll.RetrainAsync(web.Client, 1, TrainingDeadline, Context, "Completed");

            var runs = await CandidateRunsAsync(schema);
            foreach (var run in runs) output.WriteLine($"{run.Architecture} job {run.JobId} processed by {run.ServerId}");
            Assert.Equal(["worker-a", "worker-b"], runs.Select(r => WorkerOf(r.ServerId)).Distinct().Order());
            var survivor = workers.Keys.Single(k => k != killed);
            Assert.Contains(runs, r => r.JobId == victim.JobId && WorkerOf(r.ServerId) == survivor);
            Assert.Equal(3, retrain["candidates"]!.AsObject().Count(c => c.Value!["state"]!.GetValue<string>() == "Completed"));

            Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());
            var version = retrain["registeredVersion"]!.GetValue<int>();
            var decisions = (await web.Client.GetJsonAsync("/api/models/decisions")).AsArray();
            Assert.Single(decisions);
            Assert.True(decisions[0]!["promoted"]!.GetValue<bool>());
            Assert.Single((await web.Client.GetJsonAsync("/api/models")).AsArray());
            Assert.Equal(1, await CountJobsAsync(schema, "EvaluateAndPromoteAsync"));

            // The web process promoted nothing itself: it picks the model up from current.json within seconds.
            var image = ServiceTestData.ProbeImages("food", 1)[0];
            var served = await Poll.UntilAsync(async () =>
            {
                var prediction = await TryPredictAsync(web.Client, image);
                return prediction?["modelVersion"]?.GetValue<int>() == version ? prediction : null;
            }, TimeSpan.FromSeconds(10), $"the web process to serve model v{version}", Context);
            Assert.Contains(served["label"]!.GetValue<string>(), ServiceTestData.ThreeLabels);
        }
        finally
        {
            foreach (var worker in workers.Values) await worker.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_misspelt_role_stops_the_start_with_a_message_naming_the_setting()
    {
        var data = new ServiceTestData("bad-role");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartAsync(data.DataRoot,
            ServiceTestData.Settings("RawPixels", ("Pipeline:Roles", "web,wroker")), TimeSpan.FromMinutes(1)));

        Assert.Contains("it exited", failure.Message);
        Assert.Contains("Pipeline:Roles must list web, worker and/or intake", failure.Message);
    }

    /// <summary>Writes a drop beside the watched folder and renames it in, as a user's copy would end.</summary>
    private static async Task DropAsync(string dataRoot, IReadOnlyList<string> categories, int perLabel)
    {
        var staging = Path.Combine(dataRoot, ".staging-drop");
        await Task.Run(() => OpenclipartSample.Build(staging, perLabel, categories));
        Directory.CreateDirectory(Path.Combine(dataRoot, "drops"));
        Directory.Move(staging, Path.Combine(dataRoot, "drops", "first"));
    }

    private sealed record CandidateRun(string JobId, string Architecture, string ServerId, bool StillProcessing);

    /// <summary>Every Processing state of every candidate job, read from Hangfire's tables: which server ran what.</summary>
    private static async Task<IReadOnlyList<CandidateRun>> CandidateRunsAsync(PostgresSchema schema)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"""
            SELECT j.id, j.arguments::text, s.data::text, j.statename = 'Processing'
            FROM "{schema.Name}".state s JOIN "{schema.Name}".job j ON j.id = s.jobid
            WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%TrainCandidateAsync%'
            ORDER BY s.id
            """, connection);
        var runs = new List<CandidateRun>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // Arguments are JSON strings of JSON values: ["\"dataset-000001\"","\"MobilenetV2\"",null,null].
            var arguments = JsonNode.Parse(reader.GetString(1))!.AsArray();
            var state = JsonNode.Parse(reader.GetString(2))!;
            runs.Add(new CandidateRun(reader.GetInt64(0).ToString(), JsonNode.Parse(arguments[1]!.GetValue<string>())!.GetValue<string>(),
                state["ServerId"]!.GetValue<string>(), reader.GetBoolean(3)));
        }

        return runs;
    }

    private static async Task<long> CountJobsAsync(PostgresSchema schema, string method)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"""SELECT count(*) FROM "{schema.Name}".job WHERE invocationdata::text LIKE @method""", connection);
        count.Parameters.AddWithValue("method", $"%{method}%");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>The worker name a Hangfire server id starts with (<c>worker-a-&lt;pid&gt;-&lt;random&gt;@host:…</c>).</summary>
    private static string WorkerOf(string serverId) => string.Join('-', serverId.Split('@')[0].Split('-')[..^2]);

    private static async Task<JsonNode?> TryPredictAsync(HttpClient client, byte[] image)
    {
        using var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await client.PostAsync("/api/predict", content);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }
}
