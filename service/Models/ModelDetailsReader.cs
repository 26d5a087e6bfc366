using Pipeline.Registry;
using Pipeline.Retraining;

namespace Pipeline.Service.Models;

/// <summary>
/// Puts a <see cref="ModelDetails"/> together from the registry (the model's own <c>model.json</c>) and the retrain
/// records under <c>jobs/</c> (which retrain registered it, its candidates and the one it chose, and each candidate's
/// <c>model.json</c> there).
/// </summary>
public sealed class ModelDetailsReader(ModelRegistry registry, RetrainRecords retrains)
{
    public ModelDetails? Get(int version)
    {
        if (registry.Get(version) is not { } model) return null;
        var retrain = retrains.List().FirstOrDefault(r => r.RegisteredVersion == version);
        return ModelDetails.From(model, registry.Current()?.Version, retrain is null ? null : Candidates(retrain));
    }

    /// <summary>
    /// Every candidate of <paramref name="retrain"/>: the single ones in the order the retrain listed their
    /// architectures, then the combined one once the evaluate step has decided it.
    /// </summary>
    public RetrainCandidates Candidates(RetrainRecord retrain) => new(
        retrain.Id, retrain.DatasetVersion, retrain.State, retrain.Promoted, retrain.Reason, retrain.EvaluateJobId,
        retrain.Candidates.Select(c => (Name: c.Key, Outcome: c.Value))
            .OrderBy(c => IndexOf(retrain.Architectures, c.Name))
            .Concat(retrain.Combined is { } combined ? [(combined.Name, combined.Outcome)] : [])
            .Select(c =>
            {
                var folder = retrains.CandidateFolder(retrain.Id, c.Name);
                // The folder exists only once the candidate is complete (it is renamed into place), so a present
                // model.json is whole.
                var report = c.Outcome.State == CandidateState.Completed && File.Exists(Path.Combine(folder, ModelArtifact.ManifestFileName))
                    ? ModelArtifact.ReadManifest(folder).Metrics
                    : null;
                return CandidateResult.From(c.Name, c.Outcome, report, chosen: retrain.Chosen == c.Name);
            }).ToList());

    private static int IndexOf(IReadOnlyList<string> architectures, string name)
    {
        for (var i = 0; i < architectures.Count; i++)
            if (architectures[i] == name) return i;
        return architectures.Count;
    }
}
