using System.CommandLine;
using System.CommandLine.Parsing;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Evaluation;
using Pipeline.Retraining;
using Pipeline.Training;

namespace Pipeline.Service.Cli;

/// <summary><c>train --data DIR --out DIR [--architectures A,B] [--seed N] [--group-by prefix:N|before:C]</c></summary>
internal static class TrainCommand
{
    public static Command Create(Option<string> dataRoot)
    {
        var data = new Option<string>("--data") { Description = "Folder of <label>/<image> files", Required = true };
        var output = new Option<string>("--out") { Description = "Where report.json and model/ are written", Required = true };
        var architectures = new Option<string?>("--architectures")
        {
            Description = "Comma-separated architectures (default: every offline backbone)",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the trainers", DefaultValueFactory = _ => 42 };
        var testFraction = new Option<double>("--test-fraction")
        {
            Description = "Share of each label held out for evaluation",
            DefaultValueFactory = _ => 0.25,
        };
        var trainer = new Option<HeadTrainerKind>("--trainer")
        {
            Description = "Head trainer: LbfgsMaximumEntropy, Sdca or LightGbm",
            DefaultValueFactory = _ => HeadTrainerKind.LbfgsMaximumEntropy,
        };
        var rule = new Option<string?>("--selection") { Description = "Selection rule, e.g. macroAccuracy,logLoss,latency,size" };
        var featureCache = new Option<string?>("--feature-cache")
        {
            Description = "Feature cache folder (default: features/ under the data root); a new folder featurises everything",
        };

        var folds = new Option<int>("--folds")
        {
            Description = "Cross-validation folds on the train part that rank the candidates",
            DefaultValueFactory = _ => CrossValidationOptions.Default.Folds,
        };
        var l2 = new Option<string?>("--l2")
        {
            Description = $"Head L2 values tried inside the folds (default: {string.Join(",", CrossValidationOptions.Default.L2Grid)})",
        };
        var mirror = new Option<bool>("--mirror") { Description = "Also train on horizontally mirrored images (never tested on them)" };
        var balanceLabels = new Option<bool>("--balance-labels")
        {
            Description = $"Weight the head's loss so each label counts the same when the largest label has {LabelBalance.MaterialRatio}x " +
                          "the smallest's images or more (default true; false: every image counts the same)",
            DefaultValueFactory = _ => true,
        };
        var views = new Option<ViewChoice>("--views")
        {
            Description = "Also train on views scaled to 0.75 and 1.3 inside the letterbox and mirrored: Off, On, or Auto " +
                          "(each candidate's cross-validation decides)",
            DefaultValueFactory = _ => CrossValidationOptions.Default.TrainingViews,
        };
        var tta = new Option<ViewChoice>("--tta")
        {
            Description = "Average predictions over the same views at test time (predict, evaluate, export): Off, On, or " +
                          "Auto (cross-validation decides, tried with training views)",
            DefaultValueFactory = _ => CrossValidationOptions.Default.TestTimeAveraging,
        };
        var styleViews = new Option<bool>("--style-views")
        {
            Description = "Also train the final fits on a greyscale and an outline view of every training image, for drawings " +
                          "in a style no training image shows: true or false",
            DefaultValueFactory = _ => CrossValidationOptions.StyleViewsByDefault,
            Arity = ArgumentArity.ZeroOrOne,
        };
        var trimMargins = new Option<MarginTrimming>("--trim-margins")
        {
            Description = "Cut the margin around each image's content before the built-in networks letterbox it, so drawings " +
                          "fill the input whatever margin their files have: Paper (white, or any colour the image's whole " +
                          "border has, read as white paper), Border (the same, the tint kept), White (white or " +
                          "transparent only) or Off; true and false mean Paper and Off",
            DefaultValueFactory = _ => MarginTrimming.Paper,
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = ParseMarginTrimming,
        };
        var groupBy = new Option<string?>("--group-by")
        {
            Description = "Design group of each image from its file name, so no group is on both sides of a cross-validation " +
                          "fold: 'prefix:N' (first N characters) or 'before:C' (up to the first C), e.g. before:- " +
                          "(default: no groups, stratified folds)",
        };
        var noCombine = new Option<bool>("--no-combine") { Description = "Skip the candidate combining the two best backbones" };
        var fullSearch = new Option<bool>("--full-search")
        {
            Description = "Cross-validate every candidate even when --out holds a previous fit of it on nearly the same images " +
                          "(by default such a fit's L2 is reused when at most 10 % of the train images are new)",
        };

        var command = new Command("train", "Train every architecture on a labelled folder, cross-validate them and keep the best")
        {
            data, output, architectures, seed, testFraction, trainer, rule, featureCache, folds, l2, mirror, balanceLabels, views, tta, styleViews, trimMargins,
            groupBy, noCombine, fullSearch,
        };
        command.SetAction(async (parse, ct) => await CliErrors.GuardAsync(async () =>
        {
            var environment = PipelineEnvironment.Create(parse.GetValue(dataRoot)!, featuresRoot: parse.GetValue(featureCache),
                trimMargins: parse.GetValue(trimMargins));
            var options = new TrainingRunOptions
            {
                DataFolder = parse.GetValue(data)!,
                OutputFolder = parse.GetValue(output)!,
                Architectures = Split(parse.GetValue(architectures)),
                GroupBy = parse.GetValue(groupBy) is { } key ? FileNameGroupKey.Parse(key) : null,
                Retrain = new RetrainOptions
                {
                    Seed = parse.GetValue(seed),
                    TestFraction = parse.GetValue(testFraction),
                    Head = HeadOptions.Default with { Trainer = parse.GetValue(trainer) },
                    BalanceLabels = parse.GetValue(balanceLabels),
                    Selection = parse.GetValue(rule) is { } text ? SelectionRule.Parse(text) : SelectionRule.Default,
                    CrossValidation = CrossValidationOptions.Default with
                    {
                        Folds = parse.GetValue(folds),
                        L2Grid = parse.GetValue(l2) is { } grid ? ParseL2Grid(grid) : CrossValidationOptions.Default.L2Grid,
                        MirrorAugmentation = parse.GetValue(mirror),
                        TrainingViews = parse.GetValue(views),
                        TestTimeAveraging = parse.GetValue(tta),
                        StyleViews = parse.GetValue(styleViews),
                    },
                    CombineBest = !parse.GetValue(noCombine),
                    IncrementalReuse = IncrementalReuseOptions.Default with { Enabled = !parse.GetValue(fullSearch) },
                },
            };
            if (options.Retrain.CrossValidation.Folds < 2)
                throw new PipelineException($"--folds must be at least 2 (got {options.Retrain.CrossValidation.Folds}).");
            var report = await ConsoleProgress.RunAsync(progress => environment.CreateTrainingRun().RunAsync(options, progress, ct));
            foreach (var c in report.Candidates)
                Console.WriteLine($"{c.Architecture,-24} cv {c.CrossValidation?.MeanMacroAccuracy:0.000} ± {c.CrossValidation?.SdMacroAccuracy:0.000} " +
                                  $"(L2 {c.CrossValidation?.L2})  test (gate head) macro {c.MacroAccuracy:0.000}  micro {c.MicroAccuracy:0.000}  " +
                                  $"log-loss {c.LogLoss:0.000}  {c.FeaturizeImagesPerSecond:0.0} img/s  {c.PredictLatencyMs:0.0} ms  " +
                                  $"views {ViewsOf(c.CrossValidation)}");
            foreach (var c in report.Candidates.Where(c => c.Reuse is not null))
                Console.WriteLine($"{c.Architecture,-24} {c.Reuse!.Reason}");
            Console.WriteLine(report.Explanation);
            Console.WriteLine($"{report.Best}: training views {(report.TrainingViews.Count > 0 ? string.Join(", ", report.TrainingViews) : "none")}, " +
                              $"test-time averaging {(report.TestTimeViews.Count > 0 ? $"over {report.TestTimeViews.Count} views" : "off")} " +
                              $"(--views {options.Retrain.CrossValidation.TrainingViews} --tta {options.Retrain.CrossValidation.TestTimeAveraging}; " +
                              "Auto lets each candidate's cross-validation decide); style views " +
                              $"{(report.StyleViews.Count > 0 ? string.Join(", ", report.StyleViews) : "none")} (--style-views {options.Retrain.CrossValidation.StyleViews})");
            var balance = report.LabelBalance;
            Console.WriteLine($"labels: {balance.SmallestLabel}-{balance.LargestLabel} images each; the head {HowWeighted(balance)}");
            if (report.ServedHead is { } served)
                Console.WriteLine($"{report.Model} serves {report.Best} refitted on all {served.TrainImages} images (L2 {served.L2Regularization}); " +
                                  $"the test figures above are its gate head's, fitted on the {report.TrainImages} train images.");
            Console.WriteLine($"{report.Rejected.Count} file(s) not used; report: {Path.Combine(options.OutputFolder, TrainingRun.ReportFileName)}");
            return 0;
        }));
        return command;
    }

    // The option alone means the default, as it did when it was a boolean; MarginTrimmingConverter reads true and false.
    private static MarginTrimming ParseMarginTrimming(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return MarginTrimming.Paper;
        try
        {
            return MarginTrimmingConverter.Parse(result.Tokens[0].Value);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return default;
        }
    }

    /// <summary>Whether the head balanced the labels, and why.</summary>
    private static string HowWeighted(LabelBalanceReport balance) =>
        balance.Weighted
            ? $"weighted each label equally (the largest is {LabelBalance.MaterialRatio}x the smallest or more)"
            : LabelBalance.IsMaterial(balance.LargestLabel, balance.SmallestLabel)
                ? "weighted every image alike (--balance-labels false)"
                : $"weighted every image alike (labels within {LabelBalance.MaterialRatio}x of each other)";

    /// <summary>What the view gate chose for a candidate: training views, test-time averaging, or neither.</summary>
    private static string ViewsOf(CrossValidationReport? cv) => cv switch
    {
        null => "-",
        { Views.Count: > 0, TestTimeAveraging: true } => "trained+averaged",
        { Views.Count: > 0 } => "trained",
        { TestTimeAveraging: true } => "averaged",
        _ => "none",
    };

    private static IReadOnlyList<float> ParseL2Grid(string text)
    {
        var values = new List<float>();
        foreach (var item in Split(text))
        {
            if (!float.TryParse(item, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || !(value >= 0) || float.IsInfinity(value))
                throw new PipelineException($"--l2 takes comma-separated numbers >= 0 (got '{item}').");
            values.Add(value);
        }

        return values.Count > 0 ? values : throw new PipelineException("--l2 needs at least one value.");
    }

    internal static IReadOnlyList<string> Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
