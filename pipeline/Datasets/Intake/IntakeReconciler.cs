namespace Pipeline.Datasets.Intake;

/// <summary>
/// Puts the intake area back in order at start-up, after a crash or kill at any moment: uploads cut off midway are
/// discarded (they were never acknowledged), payloads without a record get one, finished drops not yet moved are
/// moved, and unfinished drops are returned to be ingested again.
/// </summary>
public sealed class IntakeReconciler(IntakeFolders folders, DropRecords records, DropIngestor ingestor)
{
    /// <returns>Ids of drops to ingest, oldest first.</returns>
    public async Task<IReadOnlyList<string>> ReconcileAsync(CancellationToken ct = default)
    {
        folders.Create();
        foreach (var upload in Directory.EnumerateDirectories(folders.Intake, IntakeFolders.UploadPrefix + "*"))
            Directory.Delete(upload, recursive: true);
        string work = Path.GetDirectoryName(folders.WorkOf("x"))!;
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);

        foreach (var payload in Directory.EnumerateDirectories(folders.Payloads))
        {
            string id = Path.GetFileName(payload);
            if (!DropId.IsWellFormed(id) || records.Get(id) is not null) continue;
            var entry = new DirectoryInfo(payload).EnumerateFileSystemInfos().FirstOrDefault();
            if (entry is null)
            {
                // Created just before a crash, before the drop was moved in: the drop is still in the watched folder.
                Directory.Delete(payload);
                continue;
            }

            var received = new DateTimeOffset(Directory.GetCreationTimeUtc(payload), TimeSpan.Zero);
            await records.SaveAsync(new DropRecord
            {
                Id = id, Name = entry.Name, Origin = DropReceiver.OriginOf(entry.FullName), State = DropState.Received,
                ReceivedUtc = received, UpdatedUtc = received,
            }, ct);
        }

        var pending = new List<string>();
        foreach (var record in records.All().OrderBy(r => r.ReceivedUtc).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            if (record.IsFinished) ingestor.MoveToProcessed(record.Id);
            else pending.Add(record.Id);
        }

        return pending;
    }
}
