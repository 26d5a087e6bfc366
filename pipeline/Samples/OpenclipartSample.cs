namespace Pipeline.Samples;

/// <summary>
/// Builds a small labelled dataset from Debian's openclipart-png (public-domain clip art, one folder per category),
/// for the service's first run, the tests and the benchmarks. Selection is deterministic: the same arguments always
/// give the same files.
/// </summary>
public static class OpenclipartSample
{
    public const string DefaultSource = "/usr/share/openclipart/png";

    /// <summary>Categories with enough distinct pictures to learn from, in a fixed order.</summary>
    public static readonly IReadOnlyList<string> DefaultCategories =
        ["animals", "buildings", "food", "geography", "office", "people", "plants", "transportation"];

    /// <summary>
    /// Copies up to <paramref name="perLabel"/> images of each category into <c>destination/&lt;category&gt;/</c>.
    /// Files above <paramref name="maxFileBytes"/> are left out to keep the sample quick to featurise.
    /// </summary>
    /// <returns>The number of images copied.</returns>
    public static int Build(string destination, int perLabel, IReadOnlyList<string>? categories = null,
        string source = DefaultSource, long maxFileBytes = 512 * 1024)
    {
        if (!Directory.Exists(source))
            throw new PipelineException(
                $"Sample images need Debian's openclipart-png at {source}; run scripts/setup.sh (or apt-get install openclipart-png).");

        var copied = 0;
        foreach (var category in categories ?? DefaultCategories)
        {
            var folder = Path.Combine(source, category);
            if (!Directory.Exists(folder))
                throw new PipelineException($"openclipart-png has no category '{category}' under {source}.");
            var target = Path.Combine(destination, category);
            Directory.CreateDirectory(target);
            var files = Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories)
                .Where(f => new FileInfo(f).Length <= maxFileBytes)
                // Ordering by a hash of the path spreads the pick over all sub-folders (animals/birds, animals/bugs,
                // ...) instead of taking the alphabetically first one, and stays the same on every machine.
                .OrderBy(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, f)))), StringComparer.Ordinal)
                .Take(perLabel);
            foreach (var file in files)
            {
                // Sub-folder names become part of the file name so that equal names in different folders don't clash.
                var name = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '_');
                var path = Path.Combine(target, name);
                if (!File.Exists(path)) File.Copy(file, path);
                copied++;
            }
        }

        return copied;
    }
}
