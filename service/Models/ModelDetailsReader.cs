using Pipeline.Registry;
using Pipeline.Service.Jobs;
using Pipeline.Training;

namespace Pipeline.Service.Models;

/// <summary>
/// Puts a <see cref="ModelDetails"/> together from the registry (the model's own <c>model.json</c>) and the retrain
/// records under <c>jobs/</c> (which retrain registered it, and each candidate's <c>model.json</c> there).
/// </summary>
public sealed class ModelDetailsReader(ModelRegistry registry, RetrainRecords retrains)
{
    public ModelDetails? Get(int version)
    {
        if (registry.Get(version) is not { } model) return null;
        var retrain = retrains.List().FirstOrDefault(r => r.RegisteredVersion == version);
        return ModelDetails.From(model, registry.Current()?.Version, retrain is null ? null : Candidates(retrain, model));
    }

    /// <summary>Every candidate of <paramref name="retrain"/>, in the order the retrain listed its architectures.</summary>
    public RetrainCandidates Candidates(RetrainRecord retrain, RegisteredModel? registered) => new(
        retrain.Id, retrain.DatasetVersion, retrain.State, retrain.Promoted, retrain.Reason, retrain.EvaluateJobId,
        retrain.Architectures.Concat(CombinedCandidates(retrain)).Select(architecture =>
        {
            // The combined candidate has no job of its own: the evaluate job trains it once the singles are done.
            var outcome = retrain.Candidates.GetValueOrDefault(architecture)
                          ?? (CandidateTrainer.IsCombined(architecture)
                              ? CandidateOutcome.Pending with { State = CandidateState.Completed, JobId = retrain.EvaluateJobId }
                              : CandidateOutcome.Pending);
            var folder = retrains.CandidateFolder(retrain.Id, architecture);
            // The folder exists only once the candidate is complete (it is renamed into place), so a present
            // model.json is whole.
            var report = outcome.State == CandidateState.Completed && File.Exists(Path.Combine(folder, ModelArtifact.ManifestFileName))
                ? ModelArtifact.ReadManifest(folder).Metrics
                : null;
            return CandidateResult.From(architecture, outcome, report, chosen: registered?.Manifest.Architecture == architecture);
        }).ToList());

    /// <summary>The combined candidate's folder, once the evaluate job has trained it (names like <c>A+B</c>).</summary>
    private IEnumerable<string> CombinedCandidates(RetrainRecord retrain)
    {
        var candidates = retrains.CandidatesFolder(retrain.Id);
        return Directory.Exists(candidates)
            ? Directory.EnumerateDirectories(candidates).Select(Path.GetFileName).OfType<string>()
                .Where(name => CandidateTrainer.IsCombined(name) && !name.StartsWith('.')).Order(StringComparer.Ordinal)
            : [];
    }
}
