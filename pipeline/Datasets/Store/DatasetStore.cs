using System.Globalization;
using System.Text.Json;
using Pipeline.Storage;

namespace Pipeline.Datasets.Store;

/// <summary>
/// The versioned dataset on disk: images stored once by content hash under <c>images/ab/&lt;sha256&gt;.&lt;format&gt;</c>
/// and one manifest per version under <c>versions/NNNNNN.json</c>. Images are written (temporary name, then rename)
/// before the manifest that names them, and a manifest is itself written by rename, so a crash leaves either the old
/// or the new version and never a manifest pointing at a missing image.
/// </summary>
public sealed class DatasetStore : IDisposable
{
    private readonly string _images;
    private readonly string _versions;
    private readonly SemaphoreSlim _commitGate = new(1, 1);

    public DatasetStore(string root)
    {
        Root = Path.GetFullPath(root);
        _images = Path.Combine(Root, "images");
        _versions = Path.Combine(Root, "versions");
        Directory.CreateDirectory(_images);
        Directory.CreateDirectory(_versions);
    }

    public string Root { get; }

    /// <summary>Raised after a version's manifest is on disk.</summary>
    public event Action<DatasetVersion>? VersionCommitted;

    public IReadOnlyList<int> Versions() =>
        Directory.EnumerateFiles(_versions, "*.json")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .Where(v => v > 0)
            .Order()
            .ToList();

    public DatasetVersion? Get(int version)
    {
        var path = ManifestPath(version);
        return File.Exists(path)
            ? JsonSerializer.Deserialize<DatasetVersion>(File.ReadAllText(path), PipelineJson.Options)
            : null;
    }

    public DatasetVersion? Latest() => Versions() is { Count: > 0 } all ? Get(all[^1]) : null;

    /// <summary>The version a source produced, if it was already committed (a re-run after a crash finds it here).</summary>
    public DatasetVersion? FindBySource(string source) =>
        Versions().Select(Get).FirstOrDefault(v => v is not null && v.Source == source);

    /// <summary>Where an image with this hash and format is (or would be) stored.</summary>
    public string PathOf(string sha256, string format) =>
        Path.Combine(_images, sha256[..2], $"{sha256}.{format}");

    /// <summary>The version's images as training input, with paths into the store and the drop that added each as its group.</summary>
    public IReadOnlyList<LabelledImage> ImagesOf(DatasetVersion version) =>
        version.Images
            .Select(e => new LabelledImage(PathOf(e.Sha256, e.Format), e.Label, e.Sha256, e.Width, e.Height, e.Format) { Group = e.Source })
            .OrderBy(i => i.Path, StringComparer.Ordinal)
            .ToList();

    /// <summary>Copies a validated image in by content hash; a no-op when it is already stored.</summary>
    public async Task StoreImageAsync(LabelledImage image, CancellationToken ct = default)
    {
        var destination = PathOf(image.Sha256, image.Format);
        if (File.Exists(destination)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var staging = AtomicFile.TempPathFor(destination);
        try
        {
            await using (var source = File.OpenRead(image.Path))
            await using (var target = new FileStream(staging, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, true))
            {
                await source.CopyToAsync(target, ct);
                await target.FlushAsync(ct);
                target.Flush(flushToDisk: true);
            }

            // The file may have changed since it was validated; store it only under the hash of what was copied.
            var copied = await AtomicFile.Sha256Async(staging, ct);
            if (copied != image.Sha256)
                throw new PipelineException($"{image.Path} changed while it was being stored.");
            File.Move(staging, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(staging)) File.Delete(staging);
        }
    }

    /// <summary>
    /// Writes the next version: the latest version's images plus <paramref name="added"/> (entries whose hash is already
    /// in the dataset are ignored). Every added image must have been stored first. Idempotent per source.
    /// </summary>
    public Task<DatasetVersion> CommitAsync(IReadOnlyList<DatasetEntry> added, string source, CancellationToken ct = default) =>
        WriteNextAsync(previous =>
        {
            if (FindBySource(source) is { } existing) return (existing, false);

            foreach (var entry in added)
                if (!File.Exists(PathOf(entry.Sha256, entry.Format)))
                    throw new PipelineException($"Image {entry.Sha256} must be stored before it is committed.");

            var images = previous?.Images.ToDictionary(i => i.Sha256) ?? [];
            var count = 0;
            foreach (var entry in added)
                if (images.TryAdd(entry.Sha256, entry with { Source = source })) count++;

            return (new DatasetVersion
            {
                Version = (previous?.Version ?? 0) + 1,
                CreatedUtc = DateTimeOffset.UtcNow,
                Source = source,
                Added = count,
                Images = images.Values.OrderBy(i => i.Sha256, StringComparer.Ordinal).ToList(),
            }, true);
        }, ct);

    /// <summary>
    /// Writes the next version: the latest version with one image deleted or moved to another label, the change recorded
    /// in it. A new version like a drop's, so it is retrained like one (<see cref="VersionCommitted"/>).
    /// </summary>
    /// <param name="sha256">The image, by content hash; it must be in the latest version.</param>
    /// <param name="newLabel">The label to move it to; null deletes it.</param>
    /// <param name="source">What asked for it, e.g. <c>edit:web</c>; recorded as the version's source.</param>
    /// <exception cref="PipelineException">The image is not in the latest version, the label is not usable, or it is
    /// the image's label already.</exception>
    public Task<DatasetVersion> ChangeAsync(string sha256, string? newLabel, string source, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha256);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        newLabel = newLabel?.Trim();
        if (newLabel is not null && !IsUsableLabel(newLabel))
            throw new PipelineException($"'{newLabel}' cannot be a label: use 1 to 100 characters, no '/' or '\\', not '.' or '..'.");

        return WriteNextAsync(previous =>
        {
            if (previous is null) throw new PipelineException("The dataset has no version yet: there is nothing to change.");
            var entry = previous.Images.FirstOrDefault(i => i.Sha256 == sha256)
                        ?? throw new PipelineException($"Image {sha256} is not in the latest dataset version ({previous.Version}).");
            if (entry.Label == newLabel)
                throw new PipelineException($"Image {sha256} is labelled '{newLabel}' already.");

            var images = previous.Images.Where(i => i.Sha256 != sha256).ToList();
            if (newLabel is not null) images.Add(entry with { Label = newLabel });
            return (new DatasetVersion
            {
                Version = previous.Version + 1,
                CreatedUtc = DateTimeOffset.UtcNow,
                Source = source,
                Added = 0,
                Changes = [new DatasetChange(sha256, entry.Label, newLabel) { FileName = entry.FileName }],
                Images = images.OrderBy(i => i.Sha256, StringComparer.Ordinal).ToList(),
            }, true);
        }, ct);
    }

    /// <summary>
    /// The one way a version is written: <paramref name="next"/> sees the latest version under both locks (this process's
    /// and the data root's) and returns the next one, or an existing one with <c>IsNew</c> false (nothing is written).
    /// A new version's manifest is written by rename, then <see cref="VersionCommitted"/> is raised, outside the locks.
    /// </summary>
    private async Task<DatasetVersion> WriteNextAsync(Func<DatasetVersion?, (DatasetVersion Version, bool IsNew)> next,
        CancellationToken ct)
    {
        DatasetVersion version;
        bool isNew;
        await _commitGate.WaitAsync(ct);
        try
        {
            await using var gate = await FileGate.AcquireAsync(Path.Combine(Root, ".lock"), ct);
            (version, isNew) = next(Latest());
            if (isNew)
                await AtomicFile.WriteAllTextAsync(ManifestPath(version.Version),
                    JsonSerializer.Serialize(version, PipelineJson.Options), ct);
        }
        finally
        {
            _commitGate.Release();
        }

        if (isNew) VersionCommitted?.Invoke(version);
        return version;
    }

    private static bool IsUsableLabel(string label) =>
        label.Length is >= 1 and <= 100 && label is not "." and not ".." && label.IndexOfAny(['/', '\\']) < 0;

    private string ManifestPath(int version) =>
        Path.Combine(_versions, version.ToString("D6", CultureInfo.InvariantCulture) + ".json");

    public void Dispose() => _commitGate.Dispose();
}
