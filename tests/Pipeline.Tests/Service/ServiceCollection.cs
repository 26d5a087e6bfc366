namespace Pipeline.Tests.Service;

/// <summary>
/// Service tests each run a real service process that trains on every CPU core; they run one at a time so their
/// timings (and deadlines) mean something on a two-core CI machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceCollection
{
    public const string Name = "service processes";
}
