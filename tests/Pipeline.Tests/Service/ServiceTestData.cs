using Pipeline.Datasets;
using Pipeline.Datasets.Store;
using Pipeline.Samples;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// A test's own data root, and dataset versions written straight through <see cref="DatasetStore"/> (as drop intake
/// would), from real openclipart images. Sample folders are built once per shape and shared between tests.
/// </summary>
internal sealed class ServiceTestData
{
    public static readonly IReadOnlyList<string> ThreeLabels = ["animals", "food", "transportation"];

    public ServiceTestData(string purpose)
    {
        DataRoot = RepositoryPaths.NewTempFolder(purpose);
        Store = new DatasetStore(Path.Combine(DataRoot, "datasets"));
    }

    public string DataRoot { get; }
    public DatasetStore Store { get; }

    /// <summary>Commits a version holding <paramref name="perLabel"/> images of each category (plus what earlier versions had).</summary>
    public async Task<DatasetVersion> CommitAsync(IReadOnlyList<string> categories, int perLabel, string source)
    {
        var folder = SampleFolder(categories, perLabel);
        var scan = await LabelledFolderScanner.ScanAsync(folder, new ScanOptions());
        foreach (var image in scan.Images) await Store.StoreImageAsync(image);
        return await Store.CommitAsync(
            scan.Images.Select(DatasetEntry.From).ToList(), source);
    }

    /// <summary>The labelled folder (built once, shared) a version of <paramref name="perLabel"/> images per category comes from.</summary>
    public static string SampleFolder(IReadOnlyList<string> categories, int perLabel)
    {
        var folder = Path.Combine(RepositoryPaths.SharedDataRoot, "service-samples", $"{string.Join("-", categories)}-{perLabel}");
        lock (typeof(ServiceTestData)) OpenclipartSample.Build(folder, perLabel, categories);
        return folder;
    }

    /// <summary>A few real images of a category for predict calls.</summary>
    public static IReadOnlyList<byte[]> ProbeImages(string category, int count) =>
        Directory.EnumerateFiles(Path.Combine(OpenclipartSample.DefaultSource, category), "*.png", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Where(f => new FileInfo(f).Length < 200_000).Take(count)
            .Select(File.ReadAllBytes).ToList();

    public static Dictionary<string, string?> Settings(string architectures, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:RetrainCron"] = "",
            ["Pipeline:Jobs:RescanSeconds"] = "1",
        };
        // Arrays bind from indexed keys: Pipeline:Architectures:0, :1, ...
        var names = architectures.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < names.Length; i++) settings[$"Pipeline:Architectures:{i}"] = names[i];
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }
}
