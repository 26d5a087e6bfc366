using Pipeline.Datasets;

namespace Pipeline.Training;

/// <summary>
/// What every candidate of one retrain is trained and judged on: the seeded stratified split (the test part gives the
/// final, untouched figures) and the cross-validation folds of the train part (grouped when the images carry groups,
/// see <see cref="FoldAssignment"/>; the test split itself stays stratified by label).
/// </summary>
/// <remarks>
/// Images are kept once per content and ordered by SHA-256, never by path: the CLI (a folder) and the service (the
/// dataset store) name the same images differently, and the rows' order reaches the trainer, so ordering by content
/// is what makes both fit the very same heads.
/// </remarks>
public sealed record TrainingPlan
{
    public required IReadOnlyList<LabelledImage> Train { get; init; }
    public required IReadOnlyList<LabelledImage> Test { get; init; }

    /// <summary>The label order of every model's scores.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    public required FoldAssignment Folds { get; init; }
    public required int Seed { get; init; }
    public required double TestFraction { get; init; }

    /// <summary>The split: what was left out and why, and why nothing can be trained when it is not usable.</summary>
    public required DatasetSplit Split { get; init; }

    /// <summary>For lineage: the folder or dataset the images came from.</summary>
    public required string DataSource { get; init; }

    public int? DatasetVersion { get; init; }

    /// <summary>
    /// Folders holding earlier fits as <c>&lt;folder&gt;/&lt;candidate&gt;/</c>, newest first: the CLI's previous output's
    /// <c>candidates/</c>, the service's earlier retrains' candidates. A candidate's first fit found there may lend this
    /// retrain its choice (<see cref="IncrementalReuse"/>); empty: every candidate searches.
    /// </summary>
    public IReadOnlyList<string> PreviousCandidateFolders { get; init; } = [];

    public bool IsUsable => Split.IsUsable;

    public static TrainingPlan Create(IReadOnlyList<LabelledImage> images, SplitOptions split, int folds, string dataSource,
        int? datasetVersion = null, bool groupFolds = true)
    {
        var result = StratifiedSplitter.Split(images, split);
        var train = ByContent(result.Train);
        return new TrainingPlan
        {
            Train = train,
            Test = ByContent(result.Test),
            Labels = result.Labels,
            Folds = FoldAssignment.Assign(train, folds, split.Seed, groupFolds),
            Seed = split.Seed,
            TestFraction = split.TestFraction,
            Split = result,
            DataSource = dataSource,
            DatasetVersion = datasetVersion,
        };
    }

    private static List<LabelledImage> ByContent(IEnumerable<LabelledImage> images) =>
        images.DistinctBy(i => i.Sha256).OrderBy(i => i.Sha256, StringComparer.Ordinal).ToList();
}
