namespace Pipeline.Service.Drops;

/// <summary>
/// What a candidate drop in the watched folder looks like right now: how many entries, how many bytes, the latest
/// write. A drop whose fingerprint has not changed for the quiet period is complete.
/// </summary>
public sealed record DropFingerprint(int Entries, long Bytes, DateTime LatestWriteUtc)
{
    /// <returns>Null when the entry vanished or cannot be read right now (it is looked at again later).</returns>
    /// <remarks>
    /// Links inside a drop are counted but never followed, as the folder walker treats them: a label folder linked to
    /// <c>/</c> would otherwise have every rescan read the whole machine, and the drop never settle. A folder inside
    /// the drop that cannot be listed (a path over 4096 bytes, no permission) is counted as itself and not entered;
    /// the walker rejects it with its reason, so the drop still ends.
    /// </remarks>
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

            var top = new DirectoryInfo(path);
            if (!top.Exists) return null;
            int entries = 0;
            long bytes = 0;
            var latest = top.LastWriteTimeUtc;
            var folders = new Stack<DirectoryInfo>([top]);
            var listing = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
            while (folders.TryPop(out var folder))
            {
                List<FileSystemInfo> children;
                try
                {
                    children = folder.EnumerateFileSystemInfos("*", listing).ToList();
                }
                catch (Exception e) when (folder != top && e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                foreach (var entry in children)
                {
                    entries++;
                    try
                    {
                        if (entry.LastWriteTimeUtc > latest) latest = entry.LastWriteTimeUtc;
                        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0) continue;
                        if (entry is FileInfo f) bytes += f.Length;
                        else if (entry is DirectoryInfo d) folders.Push(d);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // Counted, not measured: it changes nothing while it stays as it is.
                    }
                }
            }

            return new DropFingerprint(entries, bytes, latest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
