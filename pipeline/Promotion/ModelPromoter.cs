using Pipeline.Evaluation;
using Pipeline.Progress;
using Pipeline.Registry;
using Pipeline.Training;

namespace Pipeline.Promotion;

/// <summary>
/// Promotion, automatic and by hand, in one place: register, load, score champion and challenger on the same images
/// through <see cref="HeldOutScoring"/> and their gate heads (<see cref="ModelHead.Gate"/>), decide with the <see cref="PromotionRule"/>, record the
/// <see cref="PromotionDecision"/> (built only here), and swap the serving model through the host's
/// <see cref="IServingSwap"/>.
/// </summary>
/// <remarks>
/// A model is loaded before <c>current.json</c> names it: a model that cannot be loaded is never promoted, and the
/// registry never names a model that predict is still loading. The loaded instance is the one swapped in.
/// </remarks>
public sealed class ModelPromoter(ModelRegistry registry, PipelineEnvironment pipeline, PromotionRule rule, IServingSwap? serving = null)
{
    /// <summary>
    /// Registers the chosen candidate of a retrain and promotes it if it clearly beats the champion on the plan's test
    /// images. A re-run after a crash finds the candidate already registered (and maybe already promoted).
    /// </summary>
    public async Task<PromotionOutcome> DecideAsync(string candidateFolder, TrainingPlan plan, string choice,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var manifest = ModelArtifact.ReadManifest(candidateFolder);
        var registered = registry.List().FirstOrDefault(m =>
                             m.Manifest.Architecture == manifest.Architecture &&
                             m.Manifest.Lineage.DatasetVersion == plan.DatasetVersion &&
                             m.Manifest.Lineage.CreatedUtc == manifest.Lineage.CreatedUtc)
                         ?? await registry.RegisterAsync(candidateFolder, ct);
        var champion = registry.Current();
        if (champion?.Version == registered.Version)
            return new PromotionOutcome(true, registered.Version, $"model v{registered.Version} was already promoted before a restart");

        var challenger = await ClassifierModel.LoadAsync(registered.Folder, pipeline.Backbones, pipeline.Sessions, ct);
        try
        {
            // Both sides are scored through their gate heads: the challenger's served head was refitted on these very
            // test images, so only its gate head (train part only) gives held-out figures; the champion's likewise.
            progress?.Report(new ProgressUpdate("evaluate", "challenger", 0, 1));
            HeldOutScores challengerScores;
            using (var gate = await challenger.LoadGateViewAsync(ct))
                challengerScores = await gate.ScoreAsync(plan.Test, pipeline.Features, progress, ct);
            HeldOutScores? championScores = null;
            if (champion is not null)
            {
                using var lease = serving?.Lease(champion.Version);
                using var loaded = lease is null
                    ? await ClassifierModel.LoadAsync(champion.Folder, pipeline.Backbones, pipeline.Sessions, ct)
                    : null;
                using var gate = await (lease?.Model ?? loaded!).LoadGateViewAsync(ct);
                championScores = await gate.ScoreAsync(plan.Test, pipeline.Features, progress, ct);
            }

            progress?.Report(new ProgressUpdate("promote", $"model v{registered.Version}", 0, 1));
            var verdict = rule.Decide($"v{registered.Version} ({manifest.Architecture})", challengerScores, plan.Labels,
                champion is null ? null : $"v{champion.Version} ({champion.Manifest.Architecture})", championScores);
            var comparison = verdict.Comparison;
            var decision = Decision("automatic", registered, champion, verdict.Promote,
                $"{verdict.Reason} Candidate choice: {choice}") with
            {
                DatasetVersion = plan.DatasetVersion,
                ChallengerMacroAccuracy = comparison?.ChallengerMacroAccuracy ?? challengerScores.MacroAccuracy(plan.Labels),
                ChampionMacroAccuracy = comparison?.ChampionMacroAccuracy,
                Comparison = comparison,
                Rule = verdict.Basis,
                NewLabels = verdict.NewLabels,
                DroppedLabels = verdict.DroppedLabels,
                NewLabelRecall = verdict.NewLabelRecall,
                ScoredWith = "gate heads (fitted on the train part only)",
            };
            if (verdict.Promote)
            {
                await ServeAsync(registered, challenger, decision, ct);
                challenger = null; // the serving side owns it now
            }
            else
            {
                await registry.RecordAsync(decision, ct);
            }

            progress?.Report(new ProgressUpdate("promote", $"model v{registered.Version}", 1, 1));
            return new PromotionOutcome(verdict.Promote, registered.Version, verdict.Reason);
        }
        finally
        {
            challenger?.Dispose();
        }
    }

    /// <summary>Promotion by hand, or rollback when the version is older than the serving one. Null: no such version.</summary>
    /// <exception cref="PipelineException">The model cannot be loaded; nothing was promoted.</exception>
    public async Task<RegisteredModel?> PromoteByHandAsync(int version, CancellationToken ct = default)
    {
        if (registry.Get(version) is not { } target) return null;
        var before = registry.Current();
        var kind = before is not null && version < before.Version ? "rollback" : "manual";
        var loaded = await ClassifierModel.LoadAsync(target.Folder, pipeline.Backbones, pipeline.Sessions, ct);
        await ServeAsync(target, loaded, Decision(kind, target, before, true, $"{kind} promotion requested over HTTP"), ct);
        return target;
    }

    private async Task ServeAsync(RegisteredModel model, ClassifierModel loaded, PromotionDecision decision, CancellationToken ct)
    {
        try
        {
            await registry.PromoteAsync(model.Version, decision, ct);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }

        if (serving is null) loaded.Dispose();
        else await serving.SwapAsync(loaded, model.Version, ct);
    }

    private static PromotionDecision Decision(string kind, RegisteredModel challenger, RegisteredModel? championBefore,
        bool promoted, string reason) => new()
    {
        At = DateTimeOffset.UtcNow,
        Kind = kind,
        DatasetVersion = challenger.Manifest.Lineage.DatasetVersion,
        Challenger = challenger.Version,
        ChampionBefore = championBefore?.Version,
        Promoted = promoted,
        ChallengerMacroAccuracy = challenger.Manifest.Metrics.MacroAccuracy,
        ChampionMacroAccuracy = championBefore?.Manifest.Metrics.MacroAccuracy,
        Reason = reason,
    };
}
