namespace Pipeline.Datasets.Intake;

/// <summary>
/// Takes a drop in: moves it (one rename) from the watched folder, or from an upload's staging folder, to
/// <c>intake/payload/&lt;id&gt;/</c> and writes its record. The move comes first, so a crash in between leaves a
/// payload without a record, which <see cref="IntakeReconciler"/> finishes at the next start.
/// </summary>
public sealed class DropReceiver(IntakeFolders folders, DropRecords records, TimeProvider time)
{
    /// <summary>Receives a folder or file from the watched folder.</summary>
    public async Task<DropRecord> ReceiveAsync(string path, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var now = time.GetUtcNow();
        string id = DropId.New(now);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        string payload = folders.PayloadOf(id);
        Directory.CreateDirectory(payload);
        var origin = OriginOf(path);
        try
        {
            var entry = new FileInfo(path);
            if (entry.LinkTarget is { } target)
            {
                // A link is taken as itself, never what it names: File.Move and Directory.Move refuse a link whose
                // target is a folder or missing, so the link is made again in intake and the original removed. It is
                // then rejected as "not a drop", once.
                File.CreateSymbolicLink(Path.Combine(payload, name), target);
                File.Delete(path);
            }
            else if (origin == DropOrigin.Folder) Directory.Move(path, Path.Combine(payload, name));
            else File.Move(path, Path.Combine(payload, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Directory.Delete(payload);
            throw;
        }

        return await SaveReceivedAsync(id, name, origin, now, ct);
    }

    /// <summary>
    /// Receives an upload whose bytes are complete in <paramref name="staging"/> (a folder under <c>intake/</c> holding
    /// one entry, <paramref name="name"/>), by renaming the staging folder into place.
    /// </summary>
    public async Task<DropRecord> ReceiveUploadAsync(string staging, string name, DropOrigin origin, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        string id = DropId.New(now);
        Directory.CreateDirectory(folders.Payloads);
        Directory.Move(staging, folders.PayloadOf(id));
        return await SaveReceivedAsync(id, name, origin, now, ct);
    }

    internal static DropOrigin OriginOf(string path) =>
        new FileInfo(path).LinkTarget is not null ? DropOrigin.Other
        : Directory.Exists(path) ? DropOrigin.Folder
        : path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? DropOrigin.Zip
        : DropOrigin.Other;

    private async Task<DropRecord> SaveReceivedAsync(string id, string name, DropOrigin origin, DateTimeOffset now, CancellationToken ct)
    {
        var record = new DropRecord { Id = id, Name = name, Origin = origin, State = DropState.Received, ReceivedUtc = now, UpdatedUtc = now };
        // Not cancelled midway: the payload is already moved, and its record should follow it.
        await records.SaveAsync(record, CancellationToken.None);
        ct.ThrowIfCancellationRequested();
        return record;
    }
}
