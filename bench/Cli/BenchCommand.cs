using System.CommandLine;
using Pipeline.Service.Cli;

namespace Pipeline.Bench.Cli;

/// <summary>
/// <c>[--quick] [--out docs/BENCHMARKS.md] [--only 1,4] [--architectures A,B]</c>: whole-pipeline measurements, run by
/// <c>scripts/bench.sh</c>. A tool of its own, so that the service executable ships no bench.
/// </summary>
internal static class BenchCommand
{
    public static RootCommand Create()
    {
        var dataRoot = DataRootOption.Create();
        var quick = new Option<bool>("--quick") { Description = "Smoke sizes: every section runs, the numbers mean nothing" };
        var output = new Option<string>("--out")
        {
            Description = "Markdown report to write",
            DefaultValueFactory = _ => Path.Combine("docs", "BENCHMARKS.md"),
        };
        var only = new Option<string?>("--only") { Description = "Comma-separated section numbers to run (default: all)" };
        var architectures = new Option<string?>("--architectures")
        {
            Description = "Comma-separated backbones to measure (default: MobilenetV2,InceptionV3)",
        };
        var command = new RootCommand("Measure featurisation, compute floor, retraining, serving and memory; write a report")
        {
            dataRoot, quick, output, only, architectures, MemoryProbeCommand.Create(dataRoot),
        };
        command.SetAction(async (parse, ct) => await CliErrors.GuardAsync(async () =>
        {
            var settings = new BenchSettings
            {
                DataRoot = Path.GetFullPath(parse.GetValue(dataRoot)!),
                OutputPath = Path.GetFullPath(parse.GetValue(output)!),
                Quick = parse.GetValue(quick),
            };
            if (TrainCommand.Split(parse.GetValue(architectures)) is { Count: > 0 } chosen)
                settings = settings with { Architectures = chosen };
            var sections = parse.GetValue(only) is { } list
                ? TrainCommand.Split(list).Select(int.Parse).ToHashSet()
                : null;
            var invocation = "dotnet run -c Release --project bench -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            await BenchRunner.RunAsync(settings, invocation, sections, Console.Error, ct);
            return 0;
        }));
        return command;
    }
}
