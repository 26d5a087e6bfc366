using Pipeline.Backbones;
using Pipeline.Registry;

namespace Pipeline.Service.Cli;

/// <summary>
/// The data root's backbone store, only for a model folder that predates self-contained folders: a current folder
/// needs no data root, and none is created for it (a copied model must run where no data root exists).
/// </summary>
internal static class LegacyBackbones
{
    public static BackboneStore? For(string modelFolder, string dataRoot) =>
        ModelArtifact.IsSelfContained(modelFolder, ModelArtifact.ReadManifest(modelFolder))
            ? null
            : PipelineEnvironment.Create(dataRoot).Backbones;
}
