using System.CommandLine;
using Pipeline.Samples;

namespace Pipeline.Service.Cli;

/// <summary><c>sample --out DIR [--per-label N] [--categories a,b]</c>: a labelled folder from Debian's openclipart-png.</summary>
/// <remarks>
/// The same deterministic pick the service's first-run seeder and the tests use, so a data set named in the docs
/// ("6 categories x 40") can be rebuilt byte for byte by anyone, e.g. by <c>scripts/backbones-eval.sh</c>.
/// </remarks>
internal static class SampleCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to fill with <category>/<image> files", Required = true };
        var perLabel = new Option<int>("--per-label") { Description = "Images per category, at most", DefaultValueFactory = _ => 40 };
        var categories = new Option<string?>("--categories")
        {
            Description = $"Comma-separated openclipart categories (default: {string.Join(",", OpenclipartSample.DefaultCategories)})",
        };
        var source = new Option<string>("--source")
        {
            Description = "openclipart-png folder", DefaultValueFactory = _ => OpenclipartSample.DefaultSource,
        };

        var command = new Command("sample", "Build a labelled image folder from openclipart-png, the same way every time")
        {
            output, perLabel, categories, source,
        };
        command.SetAction(parse => CliErrors.GuardAsync(() =>
        {
            if (parse.GetValue(perLabel) < 1)
                throw new PipelineException($"--per-label must be at least 1 (got {parse.GetValue(perLabel)}).");
            var chosen = TrainCommand.Split(parse.GetValue(categories)) is { Count: > 0 } given ? given : null;
            var count = OpenclipartSample.Build(parse.GetValue(output)!, parse.GetValue(perLabel), chosen, parse.GetValue(source)!);
            Console.WriteLine($"{count} image(s) in {parse.GetValue(output)}");
            return Task.FromResult(0);
        }));
        return command;
    }
}
