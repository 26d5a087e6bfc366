using System.Text.Json;
using Pipeline.Storage;

namespace Pipeline.Datasets.Intake;

/// <summary>The drop records under <c>intake/</c>, each written by rename so a reader never sees half a record.</summary>
public sealed class DropRecords(IntakeFolders folders)
{
    public DropRecord? Get(string id)
    {
        if (!DropId.IsWellFormed(id)) return null;
        var path = folders.RecordOf(id);
        try
        {
            return JsonSerializer.Deserialize<DropRecord>(File.ReadAllText(path), PipelineJson.Options);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task SaveAsync(DropRecord record, CancellationToken ct = default) =>
        AtomicFile.WriteAllTextAsync(folders.RecordOf(record.Id), JsonSerializer.Serialize(record, PipelineJson.Options), ct);

    /// <summary>Every record, newest first.</summary>
    public IReadOnlyList<DropRecord> All() =>
        Directory.Exists(folders.Intake)
            ? Directory.EnumerateFiles(folders.Intake, "*.json")
                .Select(f => Path.GetFileNameWithoutExtension(f))
                .Where(DropId.IsWellFormed)
                .Select(Get)
                .OfType<DropRecord>()
                .OrderByDescending(r => r.ReceivedUtc)
                .ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .ToList()
            : [];
}
