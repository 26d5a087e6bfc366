using System.Text.Json;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Evaluation;
using Pipeline.Progress;
using Pipeline.Storage;

namespace Pipeline.Training;

/// <summary>
/// Trains every requested architecture on one labelled folder with one seeded split, evaluates all on the same test
/// images, chooses the best by the selection rule and writes <c>report.json</c> and <c>model/</c> to the output folder.
/// </summary>
public sealed class TrainingRun(BackboneStore backbones, CandidateTrainer trainer)
{
    public const string ReportFileName = "report.json";
    public const string ModelFolderName = "model";

    public async Task<TrainingReport> RunAsync(TrainingRunOptions options, IProgress<ProgressUpdate>? progress = null,
        CancellationToken ct = default)
    {
        var architectures = options.Architectures.Count > 0 ? options.Architectures : backbones.Catalog.OfflineDefaults;
        foreach (var name in architectures) backbones.Catalog.Get(name); // unknown names fail before any work

        if (!Directory.Exists(options.DataFolder))
            throw new PipelineException($"Data folder {options.DataFolder} does not exist.");
        var scan = await LabelledFolderScanner.ScanAsync(options.DataFolder, new ScanOptions(), progress, ct);
        if (scan.Images.Count == 0)
            throw new PipelineException(
                $"No readable images in {options.DataFolder} (expected <label>/<image> files; {scan.Rejected.Count} rejected).");

        var split = StratifiedSplitter.Split(scan.Images, new SplitOptions
        {
            TestFraction = options.TestFraction,
            Seed = options.Seed,
            MinImagesPerLabel = options.MinImagesPerLabel,
        });
        if (!split.IsUsable || split.Labels.Count < 2)
            throw new PipelineException(
                $"Training needs at least two labels with {options.MinImagesPerLabel} or more images each; " +
                $"{options.DataFolder} has {split.Labels.Count} ({string.Join(", ", split.Labels)}).");

        var request = new TrainingRequest
        {
            Train = split.Train,
            Test = split.Test,
            Labels = split.Labels,
            Seed = options.Seed,
            TestFraction = options.TestFraction,
            DataSource = Path.GetFullPath(options.DataFolder),
            Head = options.Head,
        };

        var candidates = new List<TrainedCandidate>();
        foreach (var architecture in architectures)
        {
            var folder = Path.Combine(options.OutputFolder, "candidates", architecture);
            candidates.Add(await trainer.TrainAsync(architecture, request, folder, progress, ct));
        }

        var selection = CandidateSelector.Choose(candidates.Select(c => c.Report).ToList(), options.Selection);
        var best = candidates.Single(c => c.Report == selection.Best);
        var modelFolder = Path.Combine(Path.GetFullPath(options.OutputFolder), ModelFolderName);
        CopyFolderAtomically(best.ModelFolder, modelFolder);

        var report = new TrainingReport
        {
            Best = selection.Best.Architecture,
            Explanation = selection.Explanation,
            SelectionRule = options.Selection.ToString(),
            DataFolder = request.DataSource,
            Seed = options.Seed,
            TestFraction = options.TestFraction,
            Labels = split.Labels,
            TrainImages = split.Train.Count,
            TestImages = split.Test.Count,
            Candidates = candidates.Select(c => c.Report).ToList(),
            Rejected = [.. scan.Rejected, .. split.Excluded],
            Model = modelFolder,
        };
        await AtomicFile.WriteAllTextAsync(Path.Combine(options.OutputFolder, ReportFileName),
            JsonSerializer.Serialize(report, PipelineJson.Options), ct);
        return report;
    }

    private static void CopyFolderAtomically(string source, string destination)
    {
        var staging = destination + $".tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
        Directory.Move(staging, destination);
    }
}
