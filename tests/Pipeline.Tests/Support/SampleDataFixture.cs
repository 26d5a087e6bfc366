using Pipeline.Samples;

namespace Pipeline.Tests.Support;

/// <summary>
/// A small real-image dataset built once per test run from Debian's openclipart-png: 6 categories x 40 images, and
/// the shared data root holding prepared backbones and the feature cache.
/// </summary>
public sealed class SampleDataFixture
{
    public const int PerLabel = 40;
    public static readonly IReadOnlyList<string> Categories = ["animals", "buildings", "food", "people", "plants", "transportation"];

    public SampleDataFixture()
    {
        DataFolder = Path.Combine(RepositoryPaths.SharedDataRoot, "sample-6x40");
        OpenclipartSample.Build(DataFolder, PerLabel, Categories);
    }

    public string DataFolder { get; }
    public string DataRoot => RepositoryPaths.SharedDataRoot;

    public PipelineEnvironment CreateEnvironment() => PipelineEnvironment.Create(DataRoot);
}

[CollectionDefinition(Name)]
public sealed class SampleDataCollection : ICollectionFixture<SampleDataFixture>
{
    public const string Name = "sample data";
}
