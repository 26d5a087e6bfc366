namespace Pipeline.Service.Drops;

/// <summary>
/// What a candidate drop in the watched folder looks like right now: how many entries, how many bytes, the latest
/// write. A drop whose fingerprint has not changed for the quiet period is complete.
/// </summary>
public sealed record DropFingerprint(int Entries, long Bytes, DateTime LatestWriteUtc)
{
    /// <returns>Null when the entry vanished or cannot be read right now (it is looked at again later).</returns>
    public static DropFingerprint? Of(string path)
    {
        try
        {
            // A link is taken as itself (and rejected as not a drop), so it is never walked: `ln -s /` would walk
            // the whole machine. Renaming a link is atomic, so it is complete as soon as it is seen.
            if ((File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0) return new DropFingerprint(1, 0, DateTime.MinValue);
            if (File.Exists(path))
            {
                var file = new FileInfo(path);
                return new DropFingerprint(1, file.Length, file.LastWriteTimeUtc);
            }

            var folder = new DirectoryInfo(path);
            if (!folder.Exists) return null;
            int entries = 0;
            long bytes = 0;
            var latest = folder.LastWriteTimeUtc;
            var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var entry in folder.EnumerateFileSystemInfos("*", walk))
            {
                entries++;
                if (entry is FileInfo f) bytes += f.Length;
                if (entry.LastWriteTimeUtc > latest) latest = entry.LastWriteTimeUtc;
            }

            return new DropFingerprint(entries, bytes, latest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
