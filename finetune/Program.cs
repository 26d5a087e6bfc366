using System.CommandLine;
using Pipeline;
using Pipeline.Features;
using Pipeline.FineTuning;
using Pipeline.FineTuning.Tuning;

// pipeline-finetune --data DIR --out DIR [--name Resnet18Tuned] [--seed N] [--test-fraction F] [--epochs N] ...
var data = new Option<string>("--data") { Description = "Folder of <label>/<image> files", Required = true };
var output = new Option<string>("--out")
{
    Description = "A backbones/custom folder: the tuned backbone is written there as <name>.onnx + <name>.json",
    Required = true,
};
var name = new Option<string>("--name") { Description = "The backbone's name", DefaultValueFactory = _ => "Resnet18Tuned" };
var seed = new Option<int>("--seed")
{
    Description = "Seed of the split (as train's) and of the tuning",
    DefaultValueFactory = _ => 42,
};
var testFraction = new Option<double>("--test-fraction")
{
    Description = "Share of each label train holds out: never tuned on, so train's test figures stay honest",
    DefaultValueFactory = _ => 0.25,
};
var defaults = new TuningOptions();
var epochs = new Option<int>("--epochs") { Description = "Passes with the stage unfrozen", DefaultValueFactory = _ => defaults.Epochs };
var learningRate = new Option<double>("--learning-rate")
{
    Description = "SGD step of the stage (the head's is ten times larger)",
    DefaultValueFactory = _ => defaults.LearningRate,
};
var pull = new Option<double>("--pretrained-pull")
{
    Description = "L2-SP weight pulling each tuned weight back to its pretrained value",
    DefaultValueFactory = _ => defaults.PretrainedPull,
};
var views = new Option<string>("--views")
{
    Description = "Views trained on besides the original: a comma list of Mirrored, Shrunk, Enlarged, or none",
    DefaultValueFactory = _ => string.Join(",", defaults.Views),
};

var root = new RootCommand(
    "Fine-tunes the last stage of the packaged ResNet18 on a labelled folder and writes it as a custom backbone " +
    "(docs/BACKBONES.md, \"Fine-tuning the last ResNet18 stage\").")
{
    data, output, name, seed, testFraction, epochs, learningRate, pull, views,
};
root.SetAction(async (parse, ct) =>
{
    try
    {
        var request = new FineTuneRequest(parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(name)!,
            parse.GetValue(testFraction), new TuningOptions
            {
                Epochs = parse.GetValue(epochs),
                LearningRate = parse.GetValue(learningRate),
                PretrainedPull = parse.GetValue(pull),
                Seed = parse.GetValue(seed),
                Views = ParseViews(parse.GetValue(views)!),
            });
        var descriptor = await FineTuneCommand.RunAsync(request, Console.Out, ct);
        Console.WriteLine($"Wrote {descriptor}");
        return 0;
    }
    catch (Exception e) when (e is PipelineException or ArgumentException or InvalidDataException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
});
return await root.Parse(args).InvokeAsync();

static IReadOnlyList<ImageView> ParseViews(string text) =>
    text.Equals("none", StringComparison.OrdinalIgnoreCase)
        ? []
        : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => Enum.TryParse<ImageView>(v, ignoreCase: true, out var view) && view != ImageView.Original
                ? view
                : throw new ArgumentException($"Unknown view '{v}': expected Mirrored, Shrunk, Enlarged or none."))
            .ToList();
