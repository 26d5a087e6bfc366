using System.Text.RegularExpressions;

namespace Pipeline.Storage;

/// <summary>
/// Sweeps the temporary files a killed process or a full disk left behind: the names <see cref="AtomicFile.TempPathFor"/>
/// makes (<c>.&lt;name&gt;.tmp-&lt;32 hex digits&gt;</c>, every write-then-rename of the pipeline), and the
/// <c>&lt;name&gt;.tmp-&lt;32 hex digits&gt;</c> of releases before that scheme, which an upgraded data root can still hold. A temporary file is never read under its temporary name, so one that exists at start-up is
/// garbage: nothing can finish it.
/// </summary>
/// <remarks>
/// Only the process that owns the writes to a folder may sweep it, and only before it starts writing there: another
/// process's temporary file is alive while that process runs. The intake owner sweeps <c>intake/</c> and the dataset
/// images (which only ingestion writes) before it reconciles.
/// </remarks>
public static partial class LeftoverTempFiles
{
    /// <summary>Whether <paramref name="fileName"/> is a temporary name as this codebase makes (or made) them.</summary>
    public static bool IsTemporary(string fileName) => AtomicFile.IsTemporary(fileName) || LegacyTempSuffix().IsMatch(fileName);

    /// <summary>Deletes every temporary file under <paramref name="folder"/> (all depths; links are not followed).</summary>
    /// <returns>The paths deleted.</returns>
    public static IReadOnlyList<string> Sweep(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var walk = new EnumerationOptions
        {
            RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true,
        };
        var deleted = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.tmp-*", walk))
        {
            if (!IsTemporary(Path.GetFileName(file))) continue;
            File.Delete(file);
            deleted.Add(file);
        }

        return deleted;
    }

    [GeneratedRegex(@"\.tmp-[0-9a-f]{32}$")]
    private static partial Regex LegacyTempSuffix();
}
