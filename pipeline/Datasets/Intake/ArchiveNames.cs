using System.Text;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// Entry names a file system cannot hold as given: the same name twice, a file where another entry needs a folder
/// (<c>plants</c> beside <c>plants/a.png</c>), a name segment longer than a file name may be. Each such entry is
/// rejected on its own with a reason; the rest of the archive is extracted.
/// </summary>
internal sealed class ArchiveNames
{
    /// <summary>Linux (ext4, xfs, btrfs) allows 255 bytes per file name, whatever the characters.</summary>
    public const int MaxSegmentBytes = 255;

    private readonly Dictionary<string, int> _files;
    private readonly HashSet<string> _folders;

    private ArchiveNames(Dictionary<string, int> files, HashSet<string> folders)
    {
        _files = files;
        _folders = folders;
    }

    /// <param name="names">Entry names with '/' separators; folder entries end in '/'.</param>
    public static ArchiveNames Of(IEnumerable<string> names)
    {
        var files = new Dictionary<string, int>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            string trimmed = name.TrimEnd('/');
            if (!name.EndsWith('/')) files[trimmed] = files.GetValueOrDefault(trimmed) + 1;
            else folders.Add(trimmed);
            for (int slash = trimmed.IndexOf('/'); slash > 0; slash = trimmed.IndexOf('/', slash + 1))
                folders.Add(trimmed[..slash]);
        }

        return new ArchiveNames(files, folders);
    }

    /// <returns>Why the entry cannot be extracted as named, or null.</returns>
    public string? Problem(string name)
    {
        string trimmed = name.TrimEnd('/');
        if (trimmed.Split('/').FirstOrDefault(s => Encoding.UTF8.GetByteCount(s) > MaxSegmentBytes) is { } longSegment)
            return $"name too long: a segment of {Encoding.UTF8.GetByteCount(longSegment)} bytes, above the {MaxSegmentBytes}-byte " +
                   "limit of a file name";
        if (name.EndsWith('/')) return null;
        if (_files[trimmed] > 1)
            return $"the archive holds {_files[trimmed]} entries named '{trimmed}'; none is used, since which one is meant cannot be told";
        if (_folders.Contains(trimmed))
            return $"a file and a folder share the name '{trimmed}' in the archive; the folder's files are kept";
        return null;
    }
}
