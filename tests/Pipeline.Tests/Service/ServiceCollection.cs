namespace Pipeline.Tests.Service;

/// <summary>
/// Service tests that kill or restart real service processes, run several of them, or drive a browser: each trains on
/// every CPU core, and their kill points and browser waits depend on timing, so they run one at a time, after the other
/// collections (<see cref="ServiceTrainingCollection"/> holds the service tests that need not).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceCollection
{
    public const string Name = "service processes";
}
