using System.IO.Compression;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// Extracts a dropped <c>.zip</c> safely: no entry may land outside the extraction folder (no <c>..</c>, absolute
/// paths, drive letters or links), and the archive may not expand beyond <see cref="ArchiveLimits"/>, counted on the
/// bytes really decompressed.
/// </summary>
public static class DropArchive
{
    /// <summary>Extracts <paramref name="zipPath"/> into <paramref name="destination"/> (created; must be empty or absent).</summary>
    /// <exception cref="OperationCanceledException">Cancelled; the destination may hold part of the archive.</exception>
    public static async Task<ArchiveExtraction> ExtractAsync(string zipPath, string destination, ArchiveLimits limits,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();

        string root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        var skipped = new List<RejectedFile>();
        try
        {
            await using var archive = await ZipArchive.CreateAsync(File.OpenRead(zipPath), ZipArchiveMode.Read,
                leaveOpen: false, entryNameEncoding: null, cancellationToken);
            if (archive.Entries.Count > limits.MaxEntries)
                return Refuse(root, $"the archive has {archive.Entries.Count} entries, above the limit of {limits.MaxEntries}");

            long declared = archive.Entries.Sum(e => e.Length);
            if (declared > limits.MaxTotalBytes)
                return Refuse(root, $"the archive would expand to {declared} bytes, above the limit of {limits.MaxTotalBytes} (a zip bomb?)");
            var unreadable = await UnreadableEntriesAsync(archive, cancellationToken);
            if (archive.Entries.Where(e => !unreadable.ContainsKey(e)).FirstOrDefault(HeaderUnderstatesSize) is { } lying)
                return Refuse(root, $"entry '{lying.FullName}' claims {lying.Length} bytes but holds {lying.CompressedLength} compressed " +
                                    "bytes, more than that can expand from; its header lies (a zip bomb?)");

            var names = ArchiveNames.Of(archive.Entries.Select(e => Normalise(e.FullName)).Where(n => !IsIgnored(n)));
            var extracted = new List<string>();
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = Normalise(entry.FullName);
                if (name.Length == 0 || IsIgnored(name)) continue;
                if ((Unsafe(entry) ?? names.Problem(name) ?? unreadable.GetValueOrDefault(entry)) is { } entryProblem)
                {
                    skipped.Add(new RejectedFile(entry.FullName, entryProblem));
                    continue;
                }

                string target = Path.GetFullPath(Path.Combine(root, name));
                if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    skipped.Add(new RejectedFile(entry.FullName, "unsafe path: it would be written outside the drop"));
                    continue;
                }

                if (name.EndsWith('/'))
                {
                    // A folder entry only matters for its files, which create it anyway; one that cannot be made
                    // (a file of that name) is reported through them.
                    if (!File.Exists(target)) Directory.CreateDirectory(target);
                    continue;
                }

                if (File.Exists(target) || Directory.Exists(target))
                {
                    // Never expected after Normalise and ArchiveNames; if it happens, the file already there is kept.
                    skipped.Add(new RejectedFile(entry.FullName, "another entry of the archive already holds this name"));
                    continue;
                }

                long copied;
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    copied = await CopyBoundedAsync(entry, target, Math.Min(limits.MaxEntryBytes, limits.MaxTotalBytes - total) + 1,
                        cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // What the checks above did not foresee fails this entry only, never the drop; the message is the
                    // file system's, with the server's paths cut out.
                    if (File.Exists(target)) File.Delete(target);
                    skipped.Add(new RejectedFile(entry.FullName, $"cannot be extracted: {ServerPaths.Hide(e.Message)}"));
                    continue;
                }

                total += copied;
                if (total > limits.MaxTotalBytes)
                    return Refuse(root, $"the archive expands to more than {limits.MaxTotalBytes} bytes (a zip bomb?)");
                if (copied > entry.Length)
                    return Refuse(root, $"entry '{entry.FullName}' expands to more than the {entry.Length} bytes its header claims (a zip bomb?)");
                if (copied > limits.MaxEntryBytes)
                {
                    File.Delete(target);
                    skipped.Add(new RejectedFile(entry.FullName, $"expands to more than the {limits.MaxEntryBytes}-byte limit per file"));
                    continue;
                }

                extracted.Add(name);
            }

            return new ArchiveExtraction(LabelRoot(root, extracted), skipped);
        }
        catch (InvalidDataException e)
        {
            return Refuse(root, $"the archive is corrupt: {e.Message}");
        }
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; the return value above the entry's claim means it lied.</summary>
    private static async Task<long> CopyBoundedAsync(ZipArchiveEntry entry, string target, long limit, CancellationToken ct)
    {
        await using var source = await entry.OpenAsync(ct);
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long copied = 0;
        int read;
        while (copied < limit && (read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - copied)), ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            copied += read;
        }

        return copied;
    }

    /// <summary>
    /// Deflate grows data by at most an eighth plus a few bytes per block and of framing, so compressed data beyond that
    /// bound holds more than the header's uncompressed size. The reader stops at the claimed size, so the rest would be
    /// cut silently and the entry judged on a prefix; the archive is refused instead, as for a bomb.
    /// </summary>
    /// <remarks>
    /// Not the 5 bytes per 16 KiB of classic zlib, which falls back to a stored block: zlib-ng's fastest level (what
    /// .NET's <c>CompressionLevel.Fastest</c> writes) codes every byte of incompressible data, such as a PNG, with the
    /// fixed Huffman code, up to 9 bits each. A 25,195-byte PNG zipped so held 26,164 compressed bytes, and an honest
    /// archive was refused as lying.
    /// </remarks>
    private static bool HeaderUnderstatesSize(ZipArchiveEntry entry) =>
        entry.CompressedLength > entry.Length + entry.Length / 8 + (entry.Length / 16_383 + 1) * 5 + 64;

    /// <summary>
    /// Entries a reader cannot decompress: another compression method than stored or deflate (bzip2, LZMA, zstd), or
    /// encryption. Known before the size checks, since their compressed sizes follow other rules than deflate's.
    /// </summary>
    private static async Task<Dictionary<ZipArchiveEntry, string>> UnreadableEntriesAsync(ZipArchive archive, CancellationToken ct)
    {
        var unreadable = new Dictionary<ZipArchiveEntry, string>();
        foreach (var entry in archive.Entries.Where(e => !e.FullName.EndsWith('/')))
        {
            try
            {
                // Opening checks the method and encryption before any byte is decompressed.
                await using var _ = await entry.OpenAsync(ct);
            }
            catch (InvalidDataException e)
            {
                unreadable[entry] = entry.IsEncrypted
                    ? "encrypted entries cannot be read; re-create the archive without a password"
                    : e.Message.Contains("compressed using", StringComparison.OrdinalIgnoreCase)
                        ? "unsupported compression: only stored and deflate entries can be read; re-create the archive with deflate, the zip default"
                        : $"cannot be read: {e.Message}";
            }
        }

        return unreadable;
    }

    /// <summary>
    /// An entry name as a path inside the drop: '\\' as '/', and empty and '.' segments dropped, so that <c>./cat/a.png</c>
    /// (bsdtar, <c>zip -r .</c>) and <c>cat//a.png</c> name the file <c>cat/a.png</c> names and are counted as the same
    /// name. A folder entry keeps its trailing '/'.
    /// </summary>
    private static string Normalise(string fullName)
    {
        string name = fullName.Replace('\\', '/');
        string joined = string.Join('/', name.Split('/').Where(s => s.Length > 0 && s != "."));
        return name.EndsWith('/') && joined.Length > 0 ? joined + "/" : joined;
    }

    private static string? Unsafe(ZipArchiveEntry entry)
    {
        string name = entry.FullName.Replace('\\', '/');
        // A NUL cannot be in a file name on any file system; only this entry is refused, not the archive.
        if (name.Contains('\0')) return "the name holds a NUL character, which no file name can";
        // A drive letter is "C:" or "C:/..."; "a:b" is an ordinary (if unusual) label.
        if (name.StartsWith('/') || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':' && (name.Length == 2 || name[2] == '/')))
            return "unsafe path: absolute paths are not allowed in a drop";
        if (name.Split('/').Any(segment => segment == ".."))
            return "unsafe path: '..' would leave the drop";
        // Unix file type bits live in the high half of the external attributes; 0xA000 is a symbolic link.
        if (((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000)
            return "symbolic links are not allowed in a drop";
        return null;
    }

    /// <summary>Operating-system litter (macOS resource forks, hidden files) that is skipped silently, as in folders.</summary>
    private static bool IsIgnored(string name) =>
        name.StartsWith("__MACOSX/", StringComparison.Ordinal) || name.Split('/').Any(s => s.StartsWith('.') && s != "..");

    /// <summary>
    /// Unwraps a single top folder (<c>photos/cat/a.png</c>) when it holds only folders; a single top folder holding
    /// files (<c>cat/a.png</c>) is a one-label drop instead.
    /// </summary>
    private static string LabelRoot(string root, IReadOnlyList<string> files)
    {
        var tops = files.Select(f => f.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
        if (tops.Count != 1 || files.Any(f => f.Split('/').Length <= 2)) return root;
        return Path.Combine(root, tops[0]);
    }

    private static ArchiveExtraction Refuse(string root, string reason)
    {
        // Nothing of a refused archive is kept: what was extracted before the limit tripped is removed.
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        return new ArchiveExtraction(root, [], reason);
    }
}
