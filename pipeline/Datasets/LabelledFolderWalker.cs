using System.Text;

namespace Pipeline.Datasets;

/// <summary>
/// Walks a labelled folder, drop or training folder alike: the files at the one allowed place,
/// <c>&lt;label&gt;/&lt;image&gt;</c>, and every other entry with the reason it is not used: files directly in the folder,
/// files nested deeper, special and empty files, folders that cannot be read, and links as <see cref="LinkPolicy"/>
/// says, and files under a label folder whose name breaks <see cref="LabelName"/> (invisible characters, invalid UTF-8).
/// Names starting with '.' are skipped silently at every depth. Files are found here, not read.
/// </summary>
/// <remarks>
/// Nested folders are rejected rather than counted for their top folder: in <c>animals/cat/a.png</c> the label could be
/// either name, and a wrong guess would train on wrong labels without a word. The rejection is listed (in a drop's
/// record, in the train report), so the user can move the files.
/// </remarks>
internal sealed class LabelledFolderWalker
{
    /// <summary>PATH_MAX on Linux, terminating NUL included.</summary>
    private const int MaxPathBytes = 4096;

    private readonly LinkPolicy _links;
    private readonly List<LabelledFile> _files = [];
    private readonly List<RejectedFile> _rejected = [];
    private readonly HashSet<string> _walked = new(StringComparer.Ordinal);

    private LabelledFolderWalker(LinkPolicy links) => _links = links;

    /// <summary>Files at <c>&lt;label&gt;/&lt;image&gt;</c> by full path (through any followed link), sorted (ordinal).</summary>
    public IReadOnlyList<LabelledFile> Files => _files;

    /// <summary>Everything else, by full path, sorted (ordinal).</summary>
    public IReadOnlyList<RejectedFile> Rejected => _rejected;

    public static LabelledFolderWalker Walk(string root, LinkPolicy links, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var walker = new LabelledFolderWalker(links);
        walker.WalkFolder(new DirectoryInfo(Path.GetFullPath(root)), label: null, depth: 0, cancellationToken);
        walker._files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        walker._rejected.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return walker;
    }

    private void WalkFolder(DirectoryInfo folder, string? label, int depth, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_walked.Add(RealPath(folder)))
        {
            Reject(folder, "not walked again: the folder it names was already walked (a link cycle, or two links to one folder)");
            return;
        }

        List<FileSystemInfo> entries;
        try
        {
            entries = folder.EnumerateFileSystemInfos().Where(e => !e.Name.StartsWith('.')).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Reject(folder, $"folder cannot be read: {e.Message}");
            return;
        }

        foreach (var entry in entries)
        {
            try
            {
                WalkEntry(folder, entry, label, depth, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // What the file system will not say of one entry (a path past PATH_MAX, a name it cannot take back)
                // rejects that entry, never the whole walk.
                Reject(entry, $"cannot be read: {e.Message}");
            }
        }
    }

    private void WalkEntry(DirectoryInfo folder, FileSystemInfo entry, string? label, int depth, CancellationToken cancellationToken)
    {
        string path = Path.Join(folder.FullName, entry.Name);
        if (Encoding.UTF8.GetByteCount(path) >= MaxPathBytes)
            // Linux refuses such a path to every call (ENAMETOOLONG), and .NET's answers to it are not all errors:
            // an enumerated entry past PATH_MAX comes back with an empty FullName. It is listed by the path it has.
            _rejected.Add(new RejectedFile(path, $"the path is longer than the {MaxPathBytes} bytes the system allows; it is not read"));
        else if (entry.LinkTarget is not null && _links == LinkPolicy.Reject)
            Reject(entry, "symbolic links are not followed in a drop");
        else if (label is null && entry is DirectoryInfo && !Directory.Exists(entry.FullName) &&
                 LabelName.Problem(entry.Name) is { } unreadableLabel)
            // A name whose bytes are not UTF-8 comes back with U+FFFD in it, and by that name it cannot be opened:
            // the folder is listed as one entry.
            Reject(entry, $"the label folder '{LabelName.Printable(entry.Name)}' {unreadableLabel}");
        else if (Directory.Exists(entry.FullName)) // follows a link: only a followed one gets here
            WalkFolder(new DirectoryInfo(entry.FullName), label ?? entry.Name, depth + 1, cancellationToken);
        else if (label is not null && depth == 1 && LabelName.Problem(label) is { } labelProblem)
            // Each file is listed (and quarantined) with the reason, rather than the folder as one entry.
            Reject(entry, $"the label folder '{LabelName.Printable(label)}' {labelProblem}");
        else
            AddFile(entry, label, depth);
    }

    private void AddFile(FileSystemInfo entry, string? label, int depth)
    {
        // A followed link is judged by the file it names, and listed under its own path, the one the user wrote.
        FileSystemInfo file = entry;
        if (entry.LinkTarget is not null)
        {
            try
            {
                file = entry.ResolveLinkTarget(returnFinalTarget: true)!;
            }
            catch (IOException e)
            {
                Reject(entry, $"the symbolic link cannot be followed: {e.Message}");
                return;
            }
        }

        if (entry.LinkTarget is not null && !file.Exists)
            Reject(entry, "the symbolic link names nothing");
        else if ((file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0 || !File.Exists(file.FullName))
            Reject(entry, "not a regular file");
        else if (_links == LinkPolicy.Reject && HardLinks.Count(file.FullName) is > 1 and var links)
            // A hard link is indistinguishable from the file it links to, which may live anywhere on this file
            // system; it is neither read nor copied to quarantine.
            Reject(entry, $"the file has {links} hard links: a drop holds its own files, not links to others (copy it instead)");
        else if (label is null)
            Reject(entry, "not inside a label folder: expected <label>/<image>");
        else if (depth > 1)
            Reject(entry, "at the wrong depth: expected <label>/<image>, label folders cannot be nested");
        else if (new FileInfo(file.FullName).Length == 0)
            // Decided here, unread: a named pipe also has length 0, and opening one would block forever.
            Reject(entry, "file is empty");
        else
            _files.Add(new LabelledFile(entry.FullName, label));
    }

    private void Reject(FileSystemInfo entry, string reason) => _rejected.Add(new RejectedFile(entry.FullName, reason));

    /// <summary>Where a folder really is, so a folder reached again through a link is recognised.</summary>
    private static string RealPath(DirectoryInfo folder)
    {
        try
        {
            return folder.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder.FullName;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            // A path over PATH_MAX cannot be resolved (.NET then fails on an empty target); its listing fails next,
            // and is rejected with that reason.
            return folder.FullName;
        }
    }
}
