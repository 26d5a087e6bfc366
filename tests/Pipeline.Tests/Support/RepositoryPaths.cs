namespace Pipeline.Tests.Support;

/// <summary>Finds the repository from the test binaries, for the shared test data root and the service executable.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Prepared backbones and the feature cache shared by every test run (ignored by git).</summary>
    public static string SharedDataRoot => Path.Combine(Root, "artifacts", "test-data");

    public static string NewTempFolder(string purpose)
    {
        var path = Path.Combine(Root, "artifacts", "tmp", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}");
    }
}
