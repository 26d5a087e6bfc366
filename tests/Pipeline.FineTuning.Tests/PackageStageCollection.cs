namespace Pipeline.FineTuning.Tests;

/// <summary>The last-stage tests share one <see cref="PackageStage"/> (and so run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class PackageStageCollection : ICollectionFixture<PackageStage>
{
    public const string Name = "package stage";
}
