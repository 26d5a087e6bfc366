using System.Diagnostics;
using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Progress;

namespace Pipeline.Training;

/// <summary>
/// Fits one candidate: prepare its backbone(s), featurise the train part through the cache (and its other views when
/// augmenting), cross-validate the head's L2 on those vectors (and, through <see cref="ViewGate"/>, whether views and
/// test-time averaging pay), then fit the head on the whole train part. When a previous fit of the candidate lends its
/// choice (<see cref="IncrementalReuse"/>), its L2 and views stand instead of the search, and the final fit starts from
/// its weights.
/// A candidate of several backbones reads their features concatenated (the combined candidate).
/// </summary>
public sealed class CandidateTrainer(BackboneStore backbones, FeatureCache cache, BackboneSessionOptions? sessionOptions = null)
{
    /// <summary>The architectures of a candidate name ("InceptionV3+MobilenetV2" for a combined one).</summary>
    public static IReadOnlyList<string> ArchitecturesOf(string candidate) => candidate.Split('+');

    /// <summary>The name of a candidate combining <paramref name="architectures"/>, in feature order.</summary>
    public static string CombinedName(IEnumerable<string> architectures) => string.Join('+', architectures);

    /// <summary>Whether <paramref name="candidate"/> names a combined candidate (several backbones).</summary>
    public static bool IsCombined(string candidate) => candidate.Contains('+');

    /// <param name="reuse">The previous fit of this candidate and when its choice may stand; null: always search.</param>
    /// <param name="siblings">The retrain's other architectures: those cut from the same network are featurised in the
    /// same run (<see cref="TrainingFeaturizer"/>); empty: this candidate's backbones only.</param>
    public async Task<FittedCandidate> FitAsync(string candidate, TrainingPlan plan, HeadOptions head,
        CrossValidationOptions crossValidation, IncrementalReuse? reuse = null, IProgress<ProgressUpdate>? progress = null,
        IReadOnlyList<string>? siblings = null, CancellationToken ct = default)
    {
        var prepared = new List<PreparedBackbone>();
        foreach (var architecture in ArchitecturesOf(candidate))
            prepared.Add(await backbones.PrepareAsync(architecture, null, progress, ct));
        var featurizer = ModelFeaturizer.Create(prepared, sessionOptions);
        try
        {
            var clock = Stopwatch.StartNew();
            using var training = await TrainingFeaturizer.CreateAsync(featurizer, siblings ?? [], backbones, cache, sessionOptions,
                progress, ct);
            // The test part is featurised here too, into the cache, so the report's featurisation counts and rate cover
            // every image of the candidate; scoring the test part then reads the cache.
            var features = await training.FeaturizeAsync([.. plan.Train, .. plan.Test], ImageView.Original, progress, ct);
            var mirrored = crossValidation.MirrorAugmentation
                ? (await training.FeaturizeAsync(plan.Train, ImageView.Mirrored, progress, ct)).BySha256
                : null;

            var rows = plan.Train.Where(i => features.BySha256.ContainsKey(i.Sha256))
                .Select(i => (i.Sha256, new FeatureRow { Label = i.Label, Features = features.BySha256[i.Sha256] }))
                .ToList();
            if (rows.Select(r => r.Item2.Label).Distinct().Count() < 2)
                throw new PipelineException($"{candidate}: fewer than two labels have usable training images.");

            var decision = reuse?.Decide(plan, featurizer.Descriptors.Select(d => d.FeatureKey).ToList(), head, crossValidation);
            CrossValidationReport cv;
            IReadOnlyDictionary<ImageView, IReadOnlyDictionary<string, float[]>>? views;
            if (decision is { Reused: true })
            {
                // The previous figures, L2 and views stand; no fold is fitted, so the search took no time in this retrain.
                cv = reuse!.Previous!.CrossValidation! with { Seconds = 0 };
                views = cv.Views.Count > 0
                    ? await training.FeaturizeViewsAsync(plan.Train, ImageViewGeometry.Augmenting, progress, ct)
                    : null;
                progress?.Report(new ProgressUpdate(CrossValidator.ProgressStage, $"{candidate}: previous L2 {cv.L2} reused", 1, 1));
            }
            else
            {
                // The views of the train part only: the test part is scored through the model (HeldOutScoring), which
                // featurises its views itself when the chosen model averages over them.
                views = ViewGate.NeedsViews(crossValidation)
                    ? await training.FeaturizeViewsAsync(plan.Train, ImageViewGeometry.Augmenting, progress, ct)
                    : null;
                cv = await Task.Run(() => ViewGate.Run(rows, mirrored, views, plan.Folds, plan.Labels, featurizer.FeatureLength,
                    head, crossValidation, plan.Seed, progress, candidate, ct), ct);
                cv = cv with { FoldScheme = plan.Folds.Scheme };
            }

            // Style views train the final fit only, whether or not the choice above was reused: they follow this
            // retrain's setting.
            var styleViews = crossValidation.StyleViews
                ? await training.FeaturizeViewsAsync(plan.Train, ImageStyleViews.All, progress, ct)
                : null;
            cv = cv with { StyleViews = styleViews is null ? [] : ImageStyleViews.All };

            var chosen = head with { L2Regularization = cv.L2 };
            var start = decision is { WarmStarted: true } ? reuse!.Previous!.GateHead : null;
            var ml = new MLContext(seed: plan.Seed);
            var fitRows = cv.Views.Count > 0
                ? ViewFeatures.FitRows(rows, null, new ViewFeatures(views!, Train: true, Average: false))
                : CrossValidator.WithMirrored(rows, mirrored);
            if (styleViews is not null) ViewFeatures.WithStyleViews(fitRows, rows, styleViews);
            var fitted = await Task.Run(() => HeadTrainer.Train(ml, fitRows, plan.Labels, featurizer.FeatureLength, chosen, start), ct);
            clock.Stop();
            progress?.Report(new ProgressUpdate("train", candidate, 1, 1));

            return new FittedCandidate
            {
                Name = candidate,
                Featurizer = featurizer,
                Ml = ml,
                Head = fitted,
                CrossValidation = cv,
                HeadOptions = chosen,
                Reuse = decision,
                TrainImages = rows.Count,
                TrainSeconds = clock.Elapsed.TotalSeconds,
                Features = features,
            };
        }
        catch
        {
            featurizer.Dispose();
            throw;
        }
    }
}
