namespace Pipeline.Registry;

/// <summary>A model version in the registry.</summary>
public sealed record RegisteredModel(int Version, string Folder, ModelManifest Manifest);
