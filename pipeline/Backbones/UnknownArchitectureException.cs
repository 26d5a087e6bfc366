namespace Pipeline.Backbones;

/// <summary>An architecture name the catalog does not know; the message lists the ones it does.</summary>
public sealed class UnknownArchitectureException(string name, IReadOnlyList<string> known)
    : PipelineException($"Unknown architecture '{name}'. Known: {string.Join(", ", known)}.")
{
    public string Name { get; } = name;
}
