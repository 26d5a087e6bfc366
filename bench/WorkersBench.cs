using System.Diagnostics;
using Npgsql;
using Pipeline.Samples;
using static Pipeline.Bench.BenchFormat;

namespace Pipeline.Bench;

/// <summary>
/// Section 7: the same drop, from the moment it lands in the watched folder to the moment a model is promoted, with one
/// worker process and with two, each run on a fresh data root, feature cache and PostgreSQL schema. A web+intake
/// process ingests the drop; the workers (one Hangfire worker each) train one candidate per architecture.
/// </summary>
public static class WorkersBench
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(60);

    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        var perLabel = Math.Max(2, settings.WorkersDropImages / OpenclipartSample.DefaultCategories.Count);
        var drop = Path.Combine(settings.WorkFolder, $"workers-drop-{perLabel}");
        var images = OpenclipartSample.Build(drop, perLabel);
        var rows = new List<IReadOnlyList<string>>();
        var seconds = new Dictionary<int, double>();
        foreach (var workers in new[] { 1, 2 })
        {
            seconds[workers] = await TimeDropToPromotionAsync(environment, settings, drop, workers, ct);
            log.WriteLine($"workers {workers}: drop to promoted model in {seconds[workers]:0.0} s");
            rows.Add([workers.ToString(), images.ToString(), string.Join(", ", settings.Architectures), F(seconds[workers]),
                workers == 1 ? "1.00" : Ratio(seconds[1] / seconds[workers])]);
        }

        var cores = Environment.ProcessorCount;
        return new BenchSection("Workers: drop to promoted model, one worker process and two",
            $"The same {images} openclipart images dropped into the watched folder of a fresh data root; timed until " +
            "`models/current.json` names a promoted model. One web+intake process and N worker processes " +
            "(`--Pipeline:Roles=worker`, one Hangfire worker each) share one PostgreSQL schema and the data root; each run " +
            "starts with an empty feature cache, so both featurise every image. Candidates: one per architecture.",
            [BenchTable.Of(["worker processes", "images", "architectures", "seconds", "speed-up"], rows)],
            [
                $"This machine has {cores} cores. One candidate already keeps them busy (ONNX Runtime runs each image " +
                "batch on every core), so a second worker process on the same machine only splits the same cores between " +
                "two candidates: on an idle machine it cannot gain. A difference measured here is noise, or, on a shared " +
                "machine, two processes winning a larger share of the contended CPU from the other tenants.",
                "A second machine (a worker there, with the data root on a shared file system and the same PostgreSQL) " +
                "doubles the cores: the candidates then run side by side, and drop-to-model falls from the sum of the " +
                "candidates' times towards the longest one (plus ingestion, which one intake does alone).",
            ]);
    }

    private static async Task<double> TimeDropToPromotionAsync(PipelineEnvironment environment, BenchSettings settings,
        string drop, int workers, CancellationToken ct)
    {
        var root = Path.Combine(settings.WorkFolder, $"workers-{workers}");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        var schema = $"bench_workers_{workers}_{Guid.NewGuid():N}"[..28];
        string[] shared =
        [
            $"ConnectionStrings:Hangfire={settings.PostgresConnectionString}",
            $"Pipeline:Jobs:Schema={schema}",
            "Pipeline:Jobs:WorkerCount=1",
            "Pipeline:DropQuietSeconds=1",
            .. settings.Architectures.Select((a, i) => $"Pipeline:Architectures:{i}={a}"),
        ];
        var features = Path.Combine(root, "features");
        var processes = new List<ServedService>();
        try
        {
            processes.Add(await ServedService.StartAsync(root, environment.Backbones.Root, features, TimeSpan.FromMinutes(2), ct,
                ["Pipeline:Roles=web,intake", .. shared]));
            for (var i = 1; i <= workers; i++)
                processes.Add(await ServedService.StartAsync(root, environment.Backbones.Root, features, TimeSpan.FromMinutes(2), ct,
                    ["Pipeline:Roles=worker", $"Pipeline:Jobs:WorkerName=worker-{i}", .. shared]));

            // Copied beside the watched folder first, so the clock starts at one rename, as a finished copy would land.
            var staging = Path.Combine(root, ".drop");
            CopyFolder(drop, staging);
            Directory.CreateDirectory(Path.Combine(root, "drops"));
            var clock = Stopwatch.StartNew();
            Directory.Move(staging, Path.Combine(root, "drops", "bench"));
            var current = Path.Combine(root, "models", "current.json");
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (!File.Exists(current))
            {
                if (clock.Elapsed > Deadline || processes.Any(p => p.HasExited))
                    throw new PipelineException($"No model was promoted within {clock.Elapsed} with {workers} workers:\n" +
                                                string.Join("\n", processes.Select(p => p.Output)));
                await tick.WaitForNextTickAsync(ct);
            }

            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
            await DropSchemaAsync(settings.PostgresConnectionString, schema);
        }
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
