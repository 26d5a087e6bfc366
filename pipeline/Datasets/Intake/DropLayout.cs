namespace Pipeline.Datasets.Intake;

/// <summary>
/// Sorts a drop's files into those at the one allowed place, <c>&lt;label&gt;/&lt;image&gt;</c>, and those that are not:
/// files directly in the drop, files nested deeper, symbolic and hard links, and special files. Unlike a training folder, a drop does
/// not follow links: a link could pull in any file the service can read.
/// </summary>
public sealed class DropLayout
{
    private DropLayout(IReadOnlyList<DropFile> files, IReadOnlyList<RejectedFile> rejected)
    {
        Files = files;
        Rejected = rejected;
    }

    /// <summary>Files at <c>&lt;label&gt;/&lt;image&gt;</c>, sorted by relative path (ordinal).</summary>
    public IReadOnlyList<DropFile> Files { get; }

    /// <summary>Everything else, by path relative to the drop; names starting with '.' are skipped silently.</summary>
    public IReadOnlyList<RejectedFile> Rejected { get; }

    public static DropLayout Inspect(string dropRoot, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dropRoot);
        var files = new List<DropFile>();
        var rejected = new List<RejectedFile>();
        Walk(new DirectoryInfo(dropRoot), depth: 0);
        return new DropLayout(
            files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList(),
            rejected.OrderBy(r => r.Path, StringComparer.Ordinal).ToList());

        void Walk(DirectoryInfo folder, int depth)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in folder.EnumerateFileSystemInfos().Where(e => !e.Name.StartsWith('.')))
            {
                string relative = Path.GetRelativePath(dropRoot, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (entry.LinkTarget is not null)
                    rejected.Add(new RejectedFile(relative, "symbolic links are not followed in a drop"));
                else if (entry is DirectoryInfo child)
                    Walk(child, depth + 1);
                else if ((entry.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0 || !File.Exists(entry.FullName))
                    rejected.Add(new RejectedFile(relative, "not a regular file"));
                else if (HardLinks.Count(entry.FullName) is > 1 and var links)
                    // A hard link is indistinguishable from the file it links to, which may live anywhere on this file
                    // system; it is neither read nor copied to quarantine.
                    rejected.Add(new RejectedFile(relative, $"the file has {links} hard links: a drop holds its own files, not links to others (copy it instead)"));
                else if (depth == 0)
                    rejected.Add(new RejectedFile(relative, "not inside a label folder: expected <label>/<image>"));
                else if (depth > 1)
                    rejected.Add(new RejectedFile(relative, $"at the wrong depth: expected <label>/<image>, label folders cannot be nested"));
                else if (((FileInfo)entry).Length == 0)
                    // Decided here, unread: a named pipe also has length 0, and opening one would block forever.
                    rejected.Add(new RejectedFile(relative, "file is empty"));
                else
                    files.Add(new DropFile(relative, entry.FullName));
            }
        }
    }
}
