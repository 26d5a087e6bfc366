using Microsoft.ML;
using Pipeline.Export;
using Pipeline.Registry;
using Pipeline.Training;

namespace Pipeline.Retraining;

/// <summary>
/// A model folder's gate head (fitted on its train part only) as the warm start of a new fit: the previous retrain's
/// for the next one (<see cref="Retrainer"/>), or the folder's own for the refit on every image (<see cref="ServedHeadRefitter"/>).
/// </summary>
internal static class GateHeadStart
{
    public static async Task<HeadStart> LoadAsync(string folder, ModelManifest manifest, MLContext ml, CancellationToken ct) =>
        new(LinearHead.From(await ModelArtifact.LoadHeadAsync(folder, ml, ModelHead.Gate, ct), manifest.HeadInputLength(),
            manifest.Labels.Count));
}
