using System.Text.Json;
using Pipeline.Storage;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// Writes a drop's rejected files to <c>quarantine/&lt;id&gt;/</c>: a copy of each file at its path in the drop,
/// <c>&lt;file&gt;.reason.txt</c> beside it, and <c>reasons.json</c> listing every rejection (including entries that
/// have no file to copy, such as unsafe archive paths). Re-running it overwrites the same files.
/// </summary>
public static class DropQuarantine
{
    public const string ReasonsFile = "reasons.json";
    public const string ReasonSuffix = ".reason.txt";

    /// <param name="dropRoot">Where the rejected files are, by their relative paths; null when there is nothing to copy.</param>
    public static async Task WriteAsync(string quarantine, string? dropRoot, IReadOnlyList<RejectedFile> rejected,
        CancellationToken cancellationToken = default)
    {
        if (rejected.Count == 0) return;
        string root = Path.GetFullPath(quarantine);
        Directory.CreateDirectory(root);
        foreach (var file in rejected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Paths come from the drop, so they are checked again here: an unsafe archive name ("../x") must not
            // make the quarantine write outside its own folder, and a link must not make it copy another file.
            // A NUL (possible in an archive's entry name) is in no file name: reasons.json below lists the entry.
            if (file.Path.Contains('\0')) continue;
            string target = Path.GetFullPath(Path.Combine(root, file.Path));
            if (!IsUnder(target, root)) continue;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (dropRoot is not null && Source(dropRoot, file.Path) is { } source)
                    await CopyAsync(source, target, cancellationToken);
                await AtomicFile.WriteAllTextAsync(target + ReasonSuffix, file.Reason + Environment.NewLine, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A name the file system cannot hold here (too long with the suffix, a file where a folder is needed):
                // reasons.json below still lists it, and a drop must never fail for the sake of its quarantine.
            }
        }

        await AtomicFile.WriteAllTextAsync(Path.Combine(root, ReasonsFile), JsonSerializer.Serialize(rejected, PipelineJson.Options),
            cancellationToken);
    }

    private static string? Source(string dropRoot, string relative)
    {
        string root = Path.GetFullPath(dropRoot);
        string source = Path.GetFullPath(Path.Combine(root, relative));
        if (!IsUnder(source, root)) return null;
        var info = new FileInfo(source);
        // Neither a symbolic nor a hard link is copied: both can name a file that lives outside the drop.
        return info.Exists && info.LinkTarget is null && HardLinks.Count(source) == 1 ? source : null;
    }

    private static async Task CopyAsync(string source, string target, CancellationToken ct)
    {
        if (new FileInfo(source).Length == 0)
        {
            // Not opened: a named pipe has length 0 too, and reading one would block forever.
            await File.WriteAllBytesAsync(target, [], ct);
            return;
        }

        string staging = AtomicFile.TempPathFor(target);
        try
        {
            await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            await using (var output = new FileStream(staging, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await input.CopyToAsync(output, ct);
            }

            File.Move(staging, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(staging)) File.Delete(staging);
        }
    }

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
