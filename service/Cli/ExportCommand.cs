using System.CommandLine;
using Pipeline.Export;
using Pipeline.Registry;

namespace Pipeline.Service.Cli;

/// <summary><c>export --model DIR --format onnx|mlnet --out FILE</c>: the model for use outside this service.</summary>
internal static class ExportCommand
{
    public static Command Create(Option<string> dataRoot)
    {
        var model = new Option<string>("--model")
        {
            Description = "A model folder, or the folder train --out wrote (its model/ is used)", Required = true,
        };
        var format = new Option<string>("--format") { Description = "onnx (one graph) or mlnet (an ML.NET model .zip)", Required = true };
        format.AcceptOnlyFromAmong([.. ModelExportFormats.Names]);
        var output = new Option<string>("--out") { Description = "The file to write", Required = true };
        var command = new Command("export", "Export a model as ONNX or as an ML.NET model (see README, Export)") { model, format, output };
        command.SetAction(async (parse, ct) => await CliErrors.GuardAsync(async () =>
        {
            // --format accepts only the known names, so this fails only if the two lists ever disagree.
            if (!ModelExportFormats.TryParse(parse.GetValue(format), out var chosen))
                throw new PipelineException($"Unknown export format '{parse.GetValue(format)}'.");
            var folder = ModelArtifact.Locate(parse.GetValue(model)!);
            var outFile = Path.GetFullPath(parse.GetValue(output)!);
            await ModelExporter.ExportAsync(folder, chosen, outFile, LegacyBackbones.For(folder, parse.GetValue(dataRoot)!), ct);
            Console.WriteLine(outFile);
            return 0;
        }));
        return command;
    }
}
