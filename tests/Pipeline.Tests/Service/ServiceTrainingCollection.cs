namespace Pipeline.Tests.Service;

/// <summary>
/// Service tests that train but kill no process and drive no browser. Each trains on every core, so they run one at a
/// time among themselves; but much of their time is spent waiting (a host starting, a drop's quiet period, Hangfire's
/// polls), so the collection runs beside the others instead of after them as <see cref="ServiceCollection"/> does.
/// Their deadlines are minutes, far above what they need on a loaded two-core machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServiceTrainingCollection
{
    public const string Name = "service training";
}
