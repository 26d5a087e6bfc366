using Xunit;

namespace Pipeline.Tests.Backbones;

/// <summary>Tests that run node share one cache and run one after another: two cores, and tfjs is CPU-bound.</summary>
[CollectionDefinition(Name)]
public sealed class NodeBackedTests : ICollectionFixture<NsfwjsBackboneCache>
{
    public const string Name = "Node-backed backbone tests";
}
