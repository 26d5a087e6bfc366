using System.Diagnostics;
using Pipeline.Storage;

namespace Pipeline.Bench;

/// <summary>Runs the benchmark sections in order and writes docs/BENCHMARKS.md.</summary>
public static class BenchRunner
{
    /// <summary>Every section by number, as numbered in the issue and the report.</summary>
    public static readonly IReadOnlyList<(string Name, Func<PipelineEnvironment, BenchSettings, TextWriter, CancellationToken, Task<BenchSection>> Run)> Sections =
    [
        ("featurisation", FeaturizationBench.RunAsync),
        ("compute floor", ComputeFloorBench.RunAsync),
        ("incremental retrain", IncrementalRetrainBench.RunAsync),
        ("serving", ServingBench.RunAsync),
        ("memory", MemoryBench.RunAsync),
        ("head trainers", HeadTrainerBench.RunAsync),
        ("workers", WorkersBench.RunAsync),
        ("test-time averaging", TestTimeAveragingBench.RunAsync),
        ("shared trunk", SharedTrunkBench.RunAsync),
    ];

    public static async Task<BenchReport> RunAsync(BenchSettings settings, string command, IReadOnlySet<int>? only,
        TextWriter log, CancellationToken ct)
    {
        var machine = MachineSummary.Read();
        var environment = PipelineEnvironment.Create(settings.DataRoot);
        Directory.CreateDirectory(settings.WorkFolder);
        var clock = Stopwatch.StartNew();
        var sections = new List<BenchSection>();
        for (var i = 0; i < Sections.Count; i++)
        {
            if (only is not null && !only.Contains(i + 1)) continue;
            log.WriteLine($"== {i + 1}. {Sections[i].Name} ({clock.Elapsed.TotalSeconds:0} s)");
            sections.Add(await Sections[i].Run(environment, settings, log, ct) with { Number = i + 1 });
        }

        var report = new BenchReport(command, machine, settings.Quick, clock.Elapsed, sections, MachineSummary.ReadLoadAverage());
        var directory = Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath))!;
        Directory.CreateDirectory(directory);
        await AtomicFile.WriteAllTextAsync(settings.OutputPath, BenchMarkdown.Render(report), ct);
        log.WriteLine($"wrote {settings.OutputPath} ({clock.Elapsed.TotalMinutes:0.0} min)");
        return report;
    }
}
