namespace Pipeline.Backbones.Nsfwjs;

/// <summary>
/// Finds the repository's <c>tools/nsfwjs</c> folder (the pinned npm package.json and the node scripts), so that a
/// test run from bin/ or a CLI started anywhere in the checkout both find it.
/// </summary>
public static class NsfwjsToolsFolder
{
    private static readonly string RelativePath = Path.Combine("tools", "nsfwjs");

    /// <summary>
    /// Returns <paramref name="explicitPath"/> when given (it must hold package.json); otherwise walks up from
    /// <see cref="AppContext.BaseDirectory"/>, then from the current directory, looking for tools/nsfwjs/package.json.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder was found.</exception>
    public static string Locate(string? explicitPath = null)
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(Path.Combine(full, "package.json"))
                ? full
                : throw new DirectoryNotFoundException($"'{full}' does not contain the nsfwjs tools' package.json.");
        }

        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory()];
        foreach (var start in starts)
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, RelativePath);
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No {RelativePath}{Path.DirectorySeparatorChar}package.json above '{starts[0]}' or '{starts[1]}'; " +
            "pass the folder explicitly.");
    }
}
