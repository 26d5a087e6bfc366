using System.Globalization;
using System.Text.Json;
using Pipeline.Storage;

namespace Pipeline.Registry;

/// <summary>
/// Numbered model versions under <c>versions/NNNNNN/</c>, the serving version in <c>current.json</c>, and every
/// promotion decision in <c>decisions.jsonl</c>. Registering copies a finished model folder in under a temporary name
/// and renames it; promoting rewrites <c>current.json</c> by rename. A crash therefore leaves either the old or the
/// new state, never a half-written model or pointer.
/// </summary>
public sealed class ModelRegistry
{
    private const string CurrentFileName = "current.json";
    private const string DecisionsFileName = "decisions.jsonl";
    private readonly string _versions;

    public ModelRegistry(string root)
    {
        Root = Path.GetFullPath(root);
        _versions = Path.Combine(Root, "versions");
        Directory.CreateDirectory(_versions);
    }

    public string Root { get; }

    public IReadOnlyList<RegisteredModel> List() =>
        Directory.EnumerateDirectories(_versions)
            .Select(folder => (folder, version: ParseVersion(Path.GetFileName(folder))))
            .Where(x => x.version is not null)
            .OrderBy(x => x.version)
            .Select(x => TryRead(x.version!.Value, x.folder))
            .OfType<RegisteredModel>()
            .ToList();

    public RegisteredModel? Get(int version)
    {
        var folder = FolderOf(version);
        return Directory.Exists(folder) ? TryRead(version, folder) : null;
    }

    /// <summary>The serving version, or null when nothing has been promoted yet.</summary>
    public RegisteredModel? Current()
    {
        var path = Path.Combine(Root, CurrentFileName);
        if (!File.Exists(path)) return null;
        var pointer = JsonSerializer.Deserialize<CurrentPointer>(File.ReadAllText(path), PipelineJson.Options);
        return pointer is null ? null : Get(pointer.Version);
    }

    /// <summary>Copies a complete model folder in as the next version.</summary>
    public async Task<RegisteredModel> RegisterAsync(string modelFolder, CancellationToken ct = default)
    {
        var manifest = ModelArtifact.ReadManifest(modelFolder);
        await using var gate = await FileGate.AcquireAsync(Path.Combine(Root, ".lock"), ct);
        var version = (List().Select(m => m.Version).DefaultIfEmpty(0).Max()) + 1;
        // Half-copied folders from a crash have temporary names (AtomicFile.TempPathFor), which ParseVersion ignores;
        // under the registry's lock no other writer is running, so they are cleaned here.
        foreach (var stale in Directory.EnumerateDirectories(_versions).Where(AtomicFile.IsTemporary).ToList())
            Directory.Delete(stale, recursive: true);
        var staging = AtomicFile.TempPathFor(FolderOf(version));
        Directory.CreateDirectory(staging);
        // The backbone (megabytes, never edited) is linked where possible; the small files are copied, so that the
        // version owns them outright.
        foreach (var file in Directory.EnumerateFiles(modelFolder))
        {
            var target = Path.Combine(staging, Path.GetFileName(file));
            if (Path.GetExtension(file) == ".onnx") FileLink.LinkOrCopy(file, target);
            else File.Copy(file, target);
        }
        Directory.Move(staging, FolderOf(version));
        return new RegisteredModel(version, FolderOf(version), manifest);
    }

    /// <summary>Makes <paramref name="version"/> the serving model and records why.</summary>
    public async Task PromoteAsync(int version, PromotionDecision decision, CancellationToken ct = default)
    {
        if (Get(version) is null) throw new PipelineException($"Model version {version} does not exist.");
        await using var gate = await FileGate.AcquireAsync(Path.Combine(Root, ".lock"), ct);
        await AtomicFile.WriteAllTextAsync(Path.Combine(Root, CurrentFileName),
            JsonSerializer.Serialize(new CurrentPointer(version, DateTimeOffset.UtcNow), PipelineJson.Options), ct);
        await AppendDecisionAsync(decision, ct);
    }

    /// <summary>Records a decision that changed nothing (a challenger that did not win).</summary>
    public async Task RecordAsync(PromotionDecision decision, CancellationToken ct = default)
    {
        await using var gate = await FileGate.AcquireAsync(Path.Combine(Root, ".lock"), ct);
        await AppendDecisionAsync(decision, ct);
    }

    public IReadOnlyList<PromotionDecision> Decisions()
    {
        var path = Path.Combine(Root, DecisionsFileName);
        if (!File.Exists(path)) return [];
        // A torn last line (crash mid-append) is skipped rather than poisoning the whole history.
        return File.ReadLines(path)
            .Select(line =>
            {
                try { return JsonSerializer.Deserialize<PromotionDecision>(line, Compact); }
                catch (JsonException) { return null; }
            })
            .OfType<PromotionDecision>()
            .ToList();
    }

    private static readonly JsonSerializerOptions Compact = new(PipelineJson.Options) { WriteIndented = false };

    private async Task AppendDecisionAsync(PromotionDecision decision, CancellationToken ct)
    {
        await File.AppendAllTextAsync(Path.Combine(Root, DecisionsFileName),
            JsonSerializer.Serialize(decision, Compact) + "\n", ct);
    }

    private string FolderOf(int version) => Path.Combine(_versions, version.ToString("D6", CultureInfo.InvariantCulture));

    private static int? ParseVersion(string name) =>
        name.Length == 6 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static RegisteredModel? TryRead(int version, string folder)
    {
        try
        {
            return new RegisteredModel(version, folder, ModelArtifact.ReadManifest(folder));
        }
        catch (PipelineException)
        {
            return null;
        }
    }

    private sealed record CurrentPointer(int Version, DateTimeOffset PromotedAt);
}
