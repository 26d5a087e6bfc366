namespace Pipeline.Datasets;

/// <summary>
/// Walks a labelled folder: which files belong to which label, and which files cannot have one. Symbolic links are
/// followed (datasets are often assembled from links), but a folder already visited is not entered again, so a
/// link cycle cannot loop the walk forever.
/// </summary>
internal sealed class LabelledFileDiscovery
{
    private readonly List<LabelledFile> _files = [];
    private readonly List<RejectedFile> _rejected = [];
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

    private LabelledFileDiscovery()
    {
    }

    /// <summary>Files under label folders, sorted by path (ordinal).</summary>
    public IReadOnlyList<LabelledFile> Files => _files;

    /// <summary>Files that cannot be labelled, and folders that cannot be read.</summary>
    public IReadOnlyList<RejectedFile> Rejected => _rejected;

    public static LabelledFileDiscovery Discover(string root, CancellationToken cancellationToken)
    {
        var discovery = new LabelledFileDiscovery();
        discovery._visited.Add(RealPath(new DirectoryInfo(root)));
        foreach (var entry in discovery.Entries(new DirectoryInfo(root)))
        {
            if (entry is DirectoryInfo folder)
            {
                discovery.Walk(folder, folder.Name, cancellationToken);
            }
            else
            {
                discovery._rejected.Add(new RejectedFile(entry.FullName, "not inside a label folder"));
            }
        }

        discovery._files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return discovery;
    }

    private void Walk(DirectoryInfo folder, string label, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_visited.Add(RealPath(folder)))
        {
            return;
        }

        foreach (var entry in Entries(folder))
        {
            if (entry is DirectoryInfo child)
            {
                Walk(child, label, cancellationToken);
            }
            else
            {
                _files.Add(new LabelledFile(entry.FullName, label));
            }
        }
    }

    private IEnumerable<FileSystemInfo> Entries(DirectoryInfo folder)
    {
        List<FileSystemInfo> entries;
        try
        {
            entries = folder.EnumerateFileSystemInfos().Where(e => !e.Name.StartsWith('.')).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _rejected.Add(new RejectedFile(folder.FullName, $"folder cannot be read: {e.Message}"));
            return [];
        }

        // A link to a folder enumerates as a file-system entry with a link target; treat it as the folder it names.
        return entries.Select(e => e is FileInfo { LinkTarget: not null } link && Directory.Exists(link.FullName)
            ? new DirectoryInfo(link.FullName)
            : e);
    }

    private static string RealPath(DirectoryInfo folder)
    {
        try
        {
            return folder.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder.FullName;
        }
        catch (IOException)
        {
            return folder.FullName;
        }
    }
}
