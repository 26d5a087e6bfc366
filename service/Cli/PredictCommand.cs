using System.CommandLine;
using System.Text.Json;
using Pipeline.Features;
using Pipeline.Registry;

namespace Pipeline.Service.Cli;

/// <summary><c>predict --model DIR --image FILE_OR_DIR [...]</c>: one JSON object per line per image.</summary>
internal static class PredictCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(Option<string> dataRoot)
    {
        var model = new Option<string>("--model")
        {
            Description = "A model folder, or the folder train --out wrote (its model/ is used)", Required = true,
        };
        var images = new Option<string[]>("--image")
        {
            Description = "Image files or folders (searched recursively)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var top = new Option<int>("--top") { Description = "How many labels to list", DefaultValueFactory = _ => 3 };
        var command = new Command("predict", "Classify images with a trained model") { model, images, top };
        command.SetAction(async (parse, ct) => await CliErrors.GuardAsync(async () =>
        {
            var folder = ModelArtifact.Locate(parse.GetValue(model)!);
            using var classifier = await ClassifierModel.LoadAsync(folder, LegacyBackbones.For(folder, parse.GetValue(dataRoot)!), ct: ct);
            var failures = 0;
            foreach (var path in Expand(parse.GetValue(images)!))
            {
                ct.ThrowIfCancellationRequested();
                object line;
                try
                {
                    var p = classifier.Predict(await File.ReadAllBytesAsync(path, ct), parse.GetValue(top));
                    line = new { image = path, label = p.Label, score = p.Score, top = p.Top };
                }
                catch (Exception e) when (e is ImageRejectedException or IOException)
                {
                    failures++;
                    line = new { image = path, error = e.Message };
                }

                Console.WriteLine(JsonSerializer.Serialize(line, Json));
            }

            return failures == 0 ? 0 : CliErrors.UserError;
        }));
        return command;
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    yield return file;
            }
            else if (File.Exists(path))
            {
                yield return path;
            }
            else
            {
                throw new PipelineException($"No such image file or folder: {path}");
            }
        }
    }
}
