using System.CommandLine;

namespace Pipeline.Service.Cli;

/// <summary>The service executable's verbs. With no verb the executable serves HTTP instead.</summary>
public static class CliApp
{
    private static readonly string[] Verbs = ["train", "predict", "export", "backbones", "sample", "--help", "-h", "-?"];

    public static bool IsCliInvocation(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static Task<int> RunAsync(string[] args)
    {
        var dataRoot = new Option<string>("--data-root")
        {
            Description = "Data root holding backbones/ and features/ (default: Pipeline__DataRoot or ./data)",
            Recursive = true,
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Pipeline__DataRoot") is { Length: > 0 } fromEnv
                ? fromEnv
                : "data",
        };
        var root = new RootCommand("Image classifier pipeline: train, predict and manage backbones. Run without a verb to serve.")
        {
            dataRoot,
            TrainCommand.Create(dataRoot),
            PredictCommand.Create(dataRoot),
            ExportCommand.Create(dataRoot),
            BackbonesCommand.Create(dataRoot),
            SampleCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
