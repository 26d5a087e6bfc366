using Pipeline.Progress;
using Pipeline.Datasets.Store;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// Ingests one received drop: validates it, quarantines what cannot be used, stores the accepted images by content,
/// commits a dataset version (source <c>drop:&lt;id&gt;</c>), records the outcome and moves the drop to
/// <c>processed/&lt;id&gt;/</c>.
/// </summary>
/// <remarks>
/// Safe to re-run after a crash at any point: storing an image is idempotent by hash, committing is idempotent per
/// source, and a re-run compares the drop with the dataset as it was before its own version, so it finds the same
/// images new. The record's final state is written before the move, so a drop found finished but not moved is only moved.
/// </remarks>
public sealed class DropIngestor(IntakeFolders folders, DropRecords records, DatasetStore store, DropIngestionOptions options,
    TimeProvider time)
{
    /// <summary>The stage name ingestion reports progress under.</summary>
    public const string ProgressStage = "ingest";

    public static string SourceOf(string id) => "drop:" + id;

    /// <exception cref="PipelineException">There is no record of <paramref name="id"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the record stays <see cref="DropState.Ingesting"/>.</exception>
    /// <param name="progress">Stage <see cref="ProgressStage"/> in two passes: files validated out of the drop's files
    /// (detail "validating …"), then accepted images stored out of those accepted (detail "storing images").</param>
    public async Task<DropRecord> IngestAsync(string id, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var record = records.Get(id) ?? throw new PipelineException($"There is no record of drop {id}.");
        if (!record.IsFinished)
        {
            record = record with { State = DropState.Ingesting, UpdatedUtc = time.GetUtcNow(), Error = null };
            await records.SaveAsync(record, ct);
            record = await ValidateAndStoreAsync(record, progress, ct);
            await records.SaveAsync(record, CancellationToken.None);
        }

        MoveToProcessed(id);
        DiscardWork(id);
        return record;
    }

    /// <summary>Removes a drop's work folder (its extracted archive); the next ingestion makes it again.</summary>
    public void DiscardWork(string id)
    {
        try
        {
            if (Directory.Exists(folders.WorkOf(id))) Directory.Delete(folders.WorkOf(id), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed meanwhile; nothing is left to discard.
        }
    }

    /// <summary>Moves a finished drop's payload to <c>processed/&lt;id&gt;/</c>; nothing to do when already moved.</summary>
    public void MoveToProcessed(string id)
    {
        string payload = folders.PayloadOf(id);
        if (!Directory.Exists(payload)) return;
        Directory.CreateDirectory(folders.Processed);
        Directory.Move(payload, folders.ProcessedOf(id));
    }

    private async Task<DropRecord> ValidateAndStoreAsync(DropRecord record, IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        string work = folders.WorkOf(record.Id);
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);

        var (dropRoot, skipped, refusal) = await OpenAsync(record, work, ct);
        if (refusal is not null)
        {
            refusal = ServerPaths.Hide(refusal);
            var refused = new RejectedFile(record.Name, refusal);
            await DropQuarantine.WriteAsync(folders.QuarantineOf(record.Id), null, [refused], ct);
            return Finished(record, DropState.Rejected, refusal) with { Rejected = 1, RejectedFiles = [refused] };
        }

        string source = SourceOf(record.Id);
        var committed = store.FindBySource(source);
        var baseline = committed is null ? store.Latest() : committed.Version > 1 ? store.Get(committed.Version - 1) : null;
        var validating = progress is null ? null : new ValidationProgress(progress);
        var validation = await DropValidator.ValidateAsync(dropRoot!, baseline, options.Scan, validating, ct);
        var rejected = skipped.Concat(validation.Rejected)
            .Select(r => r with { Reason = ServerPaths.Hide(r.Reason) })
            .OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList();
        await DropQuarantine.WriteAsync(folders.QuarantineOf(record.Id), dropRoot, rejected, ct);

        progress?.Report(new ProgressUpdate(ProgressStage, "storing images", 0, validation.Accepted.Count));
        for (var i = 0; i < validation.Accepted.Count; i++)
        {
            await store.StoreImageAsync(validation.Accepted[i].Image, ct);
            progress?.Report(new ProgressUpdate(ProgressStage, "storing images", i + 1, validation.Accepted.Count));
        }

        var version = committed;
        if (version is null && validation.Accepted.Count > 0)
        {
            var entries = validation.Accepted.Select(a => DatasetEntry.From(a.Image)).ToList();
            version = await store.CommitAsync(entries, source, ct);
        }

        var (state, reason) = Outcome(validation, rejected.Count, version is null ? null : store.ImagesOf(version));
        return Finished(record, state, reason) with
        {
            Accepted = validation.Accepted.Count,
            Duplicates = validation.Duplicates.Count,
            Rejected = rejected.Count,
            Labels = validation.Accepted.GroupBy(a => a.Image.Label, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            DatasetVersion = version?.Version,
            RejectedFiles = rejected,
            DuplicateFiles = validation.Duplicates,
        };
    }

    /// <summary>Finds the folder holding the label folders: the dropped folder itself, or the extracted archive.</summary>
    private async Task<(string? Root, IReadOnlyList<RejectedFile> Skipped, string? Refusal)> OpenAsync(DropRecord record,
        string work, CancellationToken ct)
    {
        string payload = folders.PayloadOf(record.Id);
        var entry = Directory.Exists(payload) ? new DirectoryInfo(payload).EnumerateFileSystemInfos().FirstOrDefault() : null;
        switch (entry)
        {
            case null:
                return (null, [], "the drop's files are missing from its intake folder");
            case { LinkTarget: not null }:
                return (null, [], "not a drop: a symbolic link in the watched folder is not followed (copy the files instead)");
            case DirectoryInfo folder:
                return (folder.FullName, [], null);
            case FileInfo file when file.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase):
                var extraction = await DropArchive.ExtractAsync(file.FullName, Path.Combine(work, "extracted"), options.Archive, ct);
                return extraction.IsRefused
                    ? (null, [], $"archive refused: {extraction.Refusal}")
                    : (extraction.Root, extraction.Skipped, null);
            default:
                return (null, [], "not a drop: expected a folder of label folders (<label>/<image>) or a .zip of one");
        }
    }

    private (DropState State, string? Reason) Outcome(DropValidation validation, int rejected, IReadOnlyList<LabelledImage>? dataset)
    {
        if (validation.Accepted.Count == 0 && validation.Duplicates.Count == 0)
            return (DropState.Rejected, rejected == 0
                ? "the drop is empty: expected image files at <label>/<image>"
                : $"no usable images: all {rejected} files were rejected (see rejectedFiles and the quarantine)");
        if (validation.Accepted.Count == 0)
            return (DropState.Ingested, "nothing new: every image is already in the dataset under the same label");
        if (dataset is null) return (DropState.Ingested, null);
        var labels = dataset.Select(i => i.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        if (labels.Count < 2)
            return (DropState.Ingested,
                $"the dataset has only one label ('{labels.FirstOrDefault()}'); training waits until a drop adds a second label");

        // The same rule as the retrain (StratifiedSplitter), so the drop says what the retrain will do with its labels.
        var split = StratifiedSplitter.Split(dataset, options.Split);
        if (!split.IsUsable) return (DropState.Ingested, $"training waits: {split.Error}");
        var left = validation.Accepted.Select(a => a.Image.Label).Distinct().Where(l => !split.Labels.Contains(l))
            .Order(StringComparer.Ordinal).ToList();
        return left.Count == 0
            ? (DropState.Ingested, null)
            : (DropState.Ingested, $"not trained on yet: {string.Join(", ", left.Select(l => $"label '{l}' has " +
                $"{dataset.Count(i => i.Label == l)} image(s), at least {options.Split.MinImagesPerLabel} are needed"))}; " +
                "a later drop with more of its images adds it");
    }

    private DropRecord Finished(DropRecord record, DropState state, string? reason) =>
        record with { State = state, Reason = reason, UpdatedUtc = time.GetUtcNow(), Error = null };

    /// <summary>The scanner's per-file reports, as the first pass of the ingest stage.</summary>
    private sealed class ValidationProgress(IProgress<ProgressUpdate> inner) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) =>
            inner.Report(value with { Stage = ProgressStage, Detail = $"validating {value.Detail}" });
    }
}
