using System.Text.Json;
using Pipeline.Storage;

namespace Pipeline.Retraining;

/// <summary>
/// Reads and writes <see cref="RetrainRecord"/>s under the jobs folder (<c>&lt;id&gt;/retrain.json</c>, beside each
/// retrain's <c>candidates/</c>). Every change is a read-modify-write under one lock, and the file is replaced by
/// rename, so concurrent candidate jobs never lose each other's results and a crash leaves the old or the new record.
/// </summary>
/// <param name="jobsFolder">The folder of every retrain's record and candidates.</param>
/// <param name="gate">Held for every change. In the service candidate jobs of one retrain run in several worker
/// processes, and each of their updates must see the others', so the service passes a cross-process lock.</param>
public sealed class RetrainRecords(string jobsFolder, ISharedLock gate)
{
    private const string RecordFileName = "retrain.json";

    public string FolderOf(string retrainId) => Path.Combine(jobsFolder, retrainId);

    /// <summary>Where a retrain's finished candidate folders live.</summary>
    public string CandidatesFolder(string retrainId) => Path.Combine(FolderOf(retrainId), "candidates");

    /// <summary>Where a candidate's finished model folder lives; it exists only once complete.</summary>
    public string CandidateFolder(string retrainId, string candidate) => Path.Combine(CandidatesFolder(retrainId), candidate);

    public RetrainRecord? Get(string retrainId)
    {
        var path = Path.Combine(FolderOf(retrainId), RecordFileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<RetrainRecord>(File.ReadAllText(path), PipelineJson.Options) : null;
    }

    /// <summary>Every retrain, newest dataset version first.</summary>
    public IReadOnlyList<RetrainRecord> List() =>
        Directory.Exists(jobsFolder)
            ? Directory.EnumerateDirectories(jobsFolder)
                .Select(folder => Get(Path.GetFileName(folder)))
                .OfType<RetrainRecord>()
                .OrderByDescending(r => r.DatasetVersion)
                .ToList()
            : [];

    /// <summary>Writes <paramref name="record"/> unless one with its id exists; returns the one on disk and whether it is new.</summary>
    public async Task<(RetrainRecord Record, bool Created)> CreateAsync(RetrainRecord record, CancellationToken ct)
    {
        await using var held = await gate.AcquireAsync(ct);
        if (Get(record.Id) is { } existing) return (existing, false);
        await WriteAsync(record);
        return (record, true);
    }

    /// <summary>
    /// Applies <paramref name="change"/> atomically with respect to every other update; returns the record before and
    /// after. <paramref name="change"/> returning its input unchanged writes nothing. Because transitions are decided
    /// inside this lock, exactly one caller sees a given transition (e.g. Training to Evaluating).
    /// </summary>
    public async Task<(RetrainRecord Before, RetrainRecord After)> UpdateAsync(string retrainId,
        Func<RetrainRecord, RetrainRecord> change, CancellationToken ct)
    {
        await using var held = await gate.AcquireAsync(ct);
        var before = Get(retrainId) ?? throw new InvalidOperationException($"Retrain {retrainId} has no record.");
        var after = change(before);
        if (ReferenceEquals(after, before)) return (before, after);
        after = after with { UpdatedUtc = DateTimeOffset.UtcNow };
        await WriteAsync(after);
        return (before, after);
    }

    private Task WriteAsync(RetrainRecord record) =>
        // Not cancelled half-way: a record update that was decided must land, or a transition could be lost.
        AtomicFile.WriteAllTextAsync(Path.Combine(FolderOf(record.Id), RecordFileName),
            JsonSerializer.Serialize(record, PipelineJson.Options), CancellationToken.None);
}
