using System.CommandLine;
using System.Text.Json;
using Pipeline.Service.Cli;
using Pipeline.Retraining;

namespace Pipeline.Bench.Cli;

/// <summary>
/// <c>memory-probe --images DIR --architecture A --work DIR</c> (hidden): one training run in a process of its own,
/// then its peak resident set (VmHWM) as one JSON line on standard output. The bench starts it as a child so that
/// nothing else the bench holds is counted.
/// </summary>
internal static class MemoryProbeCommand
{
    public static Command Create(Option<string> dataRoot)
    {
        var images = new Option<string>("--images") { Required = true, Description = "Labelled folder to train on" };
        var architecture = new Option<string>("--architecture") { Required = true };
        var work = new Option<string>("--work") { Required = true, Description = "Fresh folder for the feature cache and the model" };
        var command = new Command("memory-probe", "Train once and print peak RSS (used by the memory section)") { images, architecture, work };
        command.Hidden = true;
        command.SetAction(async (parse, ct) => await CliErrors.GuardAsync(async () =>
        {
            var folder = parse.GetValue(work)!;
            var environment = PipelineEnvironment.Create(parse.GetValue(dataRoot)!, featuresRoot: Path.Combine(folder, "features"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var report = await environment.CreateTrainingRun().RunAsync(new TrainingRunOptions
            {
                DataFolder = parse.GetValue(images)!,
                OutputFolder = Path.Combine(folder, "run"),
                Architectures = [parse.GetValue(architecture)!],
            }, ct: ct);
            var probe = new MemoryProbeResult(
                PeakResidentKiB: (long)MachineSummary.ParseKiB(MachineSummary.ProcFile("/proc/self/status", "VmHWM")),
                Images: report.TrainImages + report.TestImages,
                Seconds: clock.Elapsed.TotalSeconds,
                MacroAccuracy: report.Candidates[0].MacroAccuracy);
            Console.WriteLine(JsonSerializer.Serialize(probe));
            return 0;
        }));
        return command;
    }
}
