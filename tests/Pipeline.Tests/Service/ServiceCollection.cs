namespace Pipeline.Tests.Service;

/// <summary>
/// Service tests that kill or restart real service processes or run several of them: each trains on every CPU core,
/// and their kill points depend on timing, so they run one at a time, after the other collections
/// (<see cref="ServiceTrainingCollection"/> and <see cref="BrowserCollection"/> hold the service tests that need not).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceCollection
{
    public const string Name = "service processes";
}
