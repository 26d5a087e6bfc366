using System.CommandLine;

namespace Pipeline.Service.Cli;

/// <summary>The service executable's verbs. With no verb the executable serves HTTP instead.</summary>
public static class CliApp
{
    private static readonly string[] Verbs = ["train", "evaluate", "predict", "export", "backbones", "sample", "--help", "-h", "-?"];

    public static bool IsCliInvocation(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static Task<int> RunAsync(string[] args)
    {
        var dataRoot = DataRootOption.Create();
        var root = new RootCommand("Image classifier pipeline: train, evaluate, predict, export models and manage backbones. Run without a verb to serve.")
        {
            dataRoot,
            TrainCommand.Create(dataRoot),
            EvaluateCommand.Create(dataRoot),
            PredictCommand.Create(dataRoot),
            ExportCommand.Create(dataRoot),
            BackbonesCommand.Create(dataRoot),
            SampleCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
