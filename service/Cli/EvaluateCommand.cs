using System.CommandLine;
using System.Text.Json;
using Pipeline.Datasets;
using Pipeline.Registry;
using Pipeline.Evaluation;

namespace Pipeline.Service.Cli;

/// <summary>
/// <c>evaluate --model DIR [DIR ...] --data DIR</c>: each model's figures on a labelled folder it never saw, one JSON
/// object per line per model. Features go through the data root's feature cache, so models sharing a backbone (the
/// candidates of one <c>train</c> run) featurise the folder once.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(Option<string> dataRoot)
    {
        var models = new Option<string[]>("--model")
        {
            Description = "Model folders, or folders train --out wrote (their model/ is used)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var data = new Option<string>("--data") { Description = "Folder of <label>/<image> files", Required = true };
        var perImage = new Option<bool>("--per-image")
        {
            Description = "Also list every image (sha256, actual, predicted), for paired comparisons of two models",
        };
        var command = new Command("evaluate", "Score models on a labelled folder they were not trained on") { models, data, perImage };
        command.SetAction(async (parse, ct) => await CliErrors.GuardAsync(async () =>
        {
            var environment = PipelineEnvironment.Create(parse.GetValue(dataRoot)!);
            var scan = await LabelledFolderScanner.ScanUsableAsync(parse.GetValue(data)!, cancellationToken: ct);
            foreach (var given in parse.GetValue(models)!)
            {
                var folder = ModelArtifact.Locate(given);
                using var model = await ClassifierModel.LoadAsync(folder, environment.Backbones, ct: ct);
                var result = await FolderEvaluator.EvaluateAsync(model, scan, environment.Features, ct: ct);
                var m = result.Metrics;
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    model = result.Model,
                    architecture = result.Architecture,
                    images = m.TestImages,
                    rejected = result.Rejected,
                    macroAccuracy = m.MacroAccuracy,
                    microAccuracy = m.MicroAccuracy,
                    logLoss = m.LogLoss,
                    topK = m.TopK,
                    topKAccuracy = m.TopKAccuracy,
                    perClass = m.PerClass,
                    testTimeViews = model.Manifest.TestTimeViews.Select(v => v.ToString()),
                    perImage = parse.GetValue(perImage)
                        ? result.Images.Select(i => new { sha256 = i.Sha256, actual = i.Actual, predicted = i.Predicted })
                        : null,
                }, Json));
            }

            return 0;
        }));
        return command;
    }
}
