namespace Pipeline.FineTuning.Tests;

/// <summary>
/// Small labelled folders of real images from Debian's openclipart-png (installed by scripts/setup.sh): the first
/// files under 64 KiB of each category, in name order, so every run sees the same images.
/// </summary>
internal static class ClipArtFolder
{
    private const string Root = "/usr/share/openclipart/png";

    public static string Create(string name, IReadOnlyList<string> categories, int perLabel)
    {
        var folder = NewTempFolder(name);
        foreach (var category in categories)
        {
            var files = Directory.EnumerateFiles(Path.Combine(Root, category), "*.png")
                .Where(f => new FileInfo(f).Length < 64 * 1024)
                .Order(StringComparer.Ordinal)
                .Take(perLabel)
                .ToList();
            Assert.True(files.Count == perLabel, $"{Root}/{category} has {files.Count} small PNGs, {perLabel} wanted.");
            Directory.CreateDirectory(Path.Combine(folder, category));
            foreach (var file in files) File.Copy(file, Path.Combine(folder, category, Path.GetFileName(file)));
        }

        return folder;
    }

    public static string NewTempFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "pipeline-finetune-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
