using System.ComponentModel.DataAnnotations;
using Pipeline.Backbones;
using Pipeline.Evaluation;
using Pipeline.Retraining;
using Pipeline.Training;
using Pipeline.Promotion;

namespace Pipeline.Service.Hosting;

/// <summary>The service's configuration section <c>Pipeline</c>; validated at start-up.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Root of everything the service keeps; relative paths are resolved against the content root.</summary>
    [Required]
    public string DataRoot { get; set; } = "data";

    /// <summary>What this process does: <c>web</c>, <c>worker</c>, <c>intake</c>, comma-separated (see
    /// <see cref="ServiceRoles"/>). Default all three.</summary>
    [RegularExpression(ServiceRoles.Pattern,
        ErrorMessage = "Pipeline:Roles must list web, worker and/or intake, comma-separated (e.g. --Pipeline:Roles=web,intake).")]
    public string Roles { get; set; } = "web,worker,intake";

    /// <summary>Architectures trained on every retrain; empty means every offline architecture of the catalog.</summary>
    public string[] Architectures { get; set; } = [];

    /// <summary>A drop is taken once nothing in it has changed for this long.</summary>
    [Range(0, 3600)]
    public double DropQuietSeconds { get; set; } = 5;

    /// <summary>
    /// How far above zero the lower confidence bound of the challenger's paired macro-accuracy advantage over the
    /// champion must be (<see cref="PromotionRule"/>). 0: better with <see cref="PromotionConfidence"/> confidence.
    /// Until this release it was added to the point difference (default 0.01); old values still mean "at least this
    /// much better", now with confidence.
    /// </summary>
    [Range(0.0, 1.0)]
    public double PromotionMargin { get; set; }

    /// <summary>
    /// For a challenger that knows labels the serving model lacks: how far below zero the lower bound of its paired
    /// macro-accuracy difference on the shared labels may be, "not worse beyond noise" (<see cref="PromotionRule"/>);
    /// it must also recognise the new labels above chance.
    /// </summary>
    [Range(0.0, 1.0)]
    public double PromotionNewLabelMargin { get; set; } = 0.25;

    /// <summary>One-sided confidence of that lower bound (0.95: the 5th percentile of the paired bootstrap).</summary>
    [Range(0.5, 0.999)]
    public double PromotionConfidence { get; set; } = 0.95;

    /// <summary>Paired bootstrap resamples behind a promotion decision.</summary>
    [Range(100, 100_000)]
    public int PromotionResamples { get; set; } = 2000;

    /// <summary>Cross-validation folds on the train part that rank the candidates.</summary>
    [Range(2, 20)]
    public int CrossValidationFolds { get; set; } = 5;

    /// <summary>L2 values of the head tried inside the folds.</summary>
    public float[] L2Grid { get; set; } = [];

    /// <summary>Train on horizontally mirrored images too (never validated or tested on them).</summary>
    public bool MirrorAugmentation { get; set; }

    /// <summary>
    /// Weight the head's loss so each label counts the same when the largest label has twice the smallest's images or
    /// more (<see cref="Pipeline.Training.LabelBalance"/>); false: every image counts the same.
    /// </summary>
    public bool BalanceLabels { get; set; } = true;

    /// <summary>
    /// Also train on views of each image with the content scaled to 0.75 and 1.3 inside the letterbox, and mirrored:
    /// <c>Off</c>, <c>On</c>, or <c>Auto</c> (each candidate's cross-validation compares with and without).
    /// </summary>
    public ViewChoice TrainingViews { get; set; } = CrossValidationOptions.Default.TrainingViews;

    /// <summary>
    /// Average the predicted probabilities over the original and the same views at test time (serving, evaluation,
    /// export): <c>Off</c>, <c>On</c>, or <c>Auto</c> (cross-validation decides, tried with training views).
    /// </summary>
    public ViewChoice TestTimeAveraging { get; set; } = CrossValidationOptions.Default.TestTimeAveraging;

    /// <summary>
    /// Also train each model's final fits on a greyscale and an outline view of every training image, so drawings in a
    /// style no training image shows still find their label (not cross-validated; docs/BACKBONES.md, "Style views").
    /// </summary>
    public bool StyleViews { get; set; } = CrossValidationOptions.StyleViewsByDefault;

    /// <summary>
    /// Cut the margin around each image's content before the built-in networks letterbox it, so a drawing
    /// fills the input whatever margin its file has (docs/BACKBONES.md, "Trimmed margins"): <c>Paper</c> (default; a
    /// white margin, or one of any colour the image's whole border has, that colour then read as white paper),
    /// <c>Border</c> (the same, the tint kept), <c>White</c> (white or transparent only) or <c>Off</c>; <c>true</c> and
    /// <c>false</c> mean <c>Paper</c> and <c>Off</c>. Models keep the preprocessing they
    /// were trained with, so changing it affects new retrains only.
    /// </summary>
    public MarginTrimming TrimMargins { get; set; } = MarginTrimming.Paper;

    /// <summary>
    /// Cross-validate by drop: a fold never shares a drop with its training part, when the dataset's images span
    /// enough drops (every label in at least two folds); stratified folds otherwise. Reported in each model's CV.
    /// </summary>
    public bool GroupFoldsByDrop { get; set; } = true;

    /// <summary>Also train the two best single backbones by cross-validation combined (concatenated features).</summary>
    public bool CombineBest { get; set; } = true;

    /// <summary>
    /// Let a candidate keep its previous retrain's choice (L2, mirroring) instead of cross-validating again when little
    /// changed (<see cref="IncrementalReuse"/>); its final fit then starts from the previous weights.
    /// </summary>
    public bool IncrementalReuse { get; set; } = true;

    /// <summary>The largest share of the train part that may be new since the L2 was cross-validated for it to stand.</summary>
    [Range(0.0, 1.0)]
    public double IncrementalMaxNewFraction { get; set; } = IncrementalReuseOptions.Default.MaxNewFraction;

    /// <summary>Cron expression of the recurring retrain; empty disables it.</summary>
    public string? RetrainCron { get; set; } = "0 3 * * *";

    /// <summary>Seed an empty data root with a sample dataset from openclipart-png and train it on first run.</summary>
    public bool SampleData { get; set; } = true;

    /// <summary>Seed of every split and trainer, so retraining the same version reproduces the same model.</summary>
    public int Seed { get; set; } = 42;

    [Range(0.05, 0.9)]
    public double TestFraction { get; set; } = 0.25;

    /// <summary>Largest accepted <c>POST /api/drops</c> body.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Prepared backbones; defaults to <c>backbones/</c> under the data root (tests share one folder).</summary>
    public string? BackbonesFolder { get; set; }

    /// <summary>The feature cache; defaults to <c>features/</c> under the data root.</summary>
    public string? FeatureCacheFolder { get; set; }

    /// <summary>
    /// Credential for the dashboard and mutating endpoints from other machines (header <c>X-Api-Key</c> or HTTP basic
    /// password). When empty, only loopback requests are allowed.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>The retrain these settings describe; the CLI builds the same from its flags.</summary>
    public RetrainOptions ToRetrainOptions() => new()
    {
        Seed = Seed,
        TestFraction = TestFraction,
        CrossValidation = CrossValidationOptions.Default with
        {
            Folds = CrossValidationFolds,
            L2Grid = L2Grid is { Length: > 0 } grid ? grid : CrossValidationOptions.Default.L2Grid,
            MirrorAugmentation = MirrorAugmentation,
            TrainingViews = TrainingViews,
            TestTimeAveraging = TestTimeAveraging,
            StyleViews = StyleViews,
            GroupFolds = GroupFoldsByDrop,
        },
        BalanceLabels = BalanceLabels,
        CombineBest = CombineBest,
        IncrementalReuse = new IncrementalReuseOptions { Enabled = IncrementalReuse, MaxNewFraction = IncrementalMaxNewFraction },
    };

    public PromotionRule ToPromotionRule() => new(PromotionMargin, PromotionConfidence, PromotionResamples, Seed, PromotionNewLabelMargin);
}
