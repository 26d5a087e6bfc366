using System.Text.Json;
using Pipeline.Datasets;
using Pipeline.Storage;

namespace Pipeline.Retraining;

/// <summary>
/// The CLI's <c>train</c>: every step of <see cref="Retrainer"/> in one process on one labelled folder. Writes
/// <c>candidates/&lt;name&gt;/</c>, <c>model/</c> (a copy of the best, serving its head refitted on every image, with the
/// train-part head beside it as <c>gate-head.zip</c>) and <c>report.json</c> to the output folder.
/// </summary>
public sealed class TrainingRun(PipelineEnvironment pipeline)
{
    public const string ReportFileName = "report.json";
    public const string ModelFolderName = "model";

    public async Task<TrainingReport> RunAsync(TrainingRunOptions options, IProgress<Progress.ProgressUpdate>? progress = null,
        CancellationToken ct = default)
    {
        var retrainer = new Retrainer(pipeline, options.Retrain);
        var architectures = retrainer.ArchitecturesOrDefault(options.Architectures);
        foreach (var name in architectures) pipeline.Backbones.Catalog.Get(name); // unknown names fail before any work

        var scan = await LabelledFolderScanner.ScanUsableAsync(options.DataFolder, progress, ct);

        var dataSource = Path.GetFullPath(options.DataFolder);
        var images = options.GroupBy is { } key ? key.Apply(scan.Images) : scan.Images;
        var output = Path.GetFullPath(options.OutputFolder);
        var candidatesFolder = Path.Combine(output, "candidates");
        // A run into an earlier run's output may keep its candidates' choices when few images are new (IncrementalReuse).
        var plan = retrainer.Plan(images, dataSource) with { PreviousCandidateFolders = [candidatesFolder] };
        if (!plan.IsUsable || plan.Labels.Count < 2)
            throw new PipelineException(
                $"Training needs at least two labels with {options.Retrain.MinImagesPerLabel} or more images each; " +
                $"{options.DataFolder} has {plan.Labels.Count} ({string.Join(", ", plan.Labels)}).");

        string FolderOf(string candidate) => Path.Combine(candidatesFolder, candidate);
        var singles = new List<Evaluation.CandidateReport>();
        foreach (var architecture in architectures)
            singles.Add(await retrainer.TrainCandidateAsync(architecture, plan, FolderOf(architecture), progress: progress,
                siblings: architectures, ct: ct));
        var (candidates, selection) = await retrainer.CompleteAsync(plan, singles, FolderOf, progress: progress, ct: ct);

        var modelFolder = Path.Combine(output, ModelFolderName);
        CopyFolderAtomically(FolderOf(selection.Best.Architecture), modelFolder);
        var chosen = Registry.ModelArtifact.ReadManifest(modelFolder);
        var report = new TrainingReport
        {
            Best = selection.Best.Architecture,
            Explanation = selection.Explanation,
            SelectionRule = options.Retrain.Selection.ToString(),
            DataFolder = dataSource,
            Seed = options.Retrain.Seed,
            TestFraction = options.Retrain.TestFraction,
            Folds = plan.Folds.Folds,
            FoldScheme = plan.Folds.Scheme,
            MirrorAugmentation = options.Retrain.CrossValidation.MirrorAugmentation,
            TrainingViews = selection.Best.CrossValidation?.Views ?? [],
            StyleViews = selection.Best.CrossValidation?.StyleViews ?? [],
            TestTimeViews = chosen.TestTimeViews,
            LabelBalance = Training.LabelBalance.Describe(Training.LabelBalance.LabelsOf(plan), options.Retrain.BalanceLabels),
            Labels = plan.Labels,
            TrainImages = plan.Train.Count,
            TestImages = plan.Test.Count,
            Candidates = candidates,
            Rejected = [.. scan.Rejected, .. plan.Split.Excluded],
            Model = modelFolder,
            ServedHead = selection.Best.ServedHead,
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(output, ReportFileName),
            JsonSerializer.Serialize(report, PipelineJson.Options), ct);
        return report;
    }

    /// <summary>A run over an earlier output replaces its <c>model/</c> with no moment where the folder is missing.</summary>
    private static void CopyFolderAtomically(string source, string destination)
    {
        var staging = AtomicFile.TempPathFor(destination);
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in Directory.EnumerateFiles(source))
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            AtomicFolder.Publish(staging, destination);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
