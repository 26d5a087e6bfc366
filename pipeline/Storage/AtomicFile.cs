using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Pipeline.Storage;

/// <summary>
/// Writes that are either complete or absent: a temporary file renamed into place. Every temporary name in the
/// pipeline, of a file or of a staging folder, comes from <see cref="TempPathFor"/>, so one start-up sweep
/// (<see cref="IsTemporary"/>) recognises what a crash left behind.
/// </summary>
/// <remarks>
/// The scheme is <c>.&lt;name&gt;.tmp-&lt;32 hex digits&gt;</c> beside the destination: hidden (a leading dot, which
/// folder walkers and the drop watcher skip), tied to the name it will become, and unique per writer, so two writers
/// of one name never share a temporary file.
/// </remarks>
public static partial class AtomicFile
{
    /// <summary>A fresh temporary name beside <paramref name="destination"/>, for a file or a staging folder.</summary>
    public static string TempPathFor(string destination)
    {
        var full = Path.GetFullPath(destination);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
    }

    /// <summary>Whether <paramref name="path"/> is a name <see cref="TempPathFor"/> made: a crash's leftover once no
    /// writer is running.</summary>
    public static bool IsTemporary(string path) => TemporaryName().IsMatch(Path.GetFileName(path));

    /// <summary>The temporary names <see cref="TempPathFor"/> made for <paramref name="destination"/>.</summary>
    public static IEnumerable<string> TemporariesOf(string destination)
    {
        var full = Path.GetFullPath(destination);
        var parent = Path.GetDirectoryName(full)!;
        return Directory.Exists(parent)
            ? Directory.EnumerateFileSystemEntries(parent, $".{Path.GetFileName(full)}.tmp-*").Where(IsTemporary)
            : [];
    }

    public static async Task WriteAllTextAsync(string path, string contents, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = TempPathFor(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(contents.AsMemory(), ct);
                await writer.FlushAsync(ct);
                // Flush to disk before the rename, or a power cut could publish an empty file under the final name.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A full disk or a cancellation: the half-written file goes (a kill leaves it to LeftoverTempFiles). On a
            // file system turned read-only it cannot; the first error is the one to report.
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    public static async Task<string> Sha256Async(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    [GeneratedRegex(@"^\..+\.tmp-[0-9a-f]{32}$")]
    private static partial Regex TemporaryName();
}
