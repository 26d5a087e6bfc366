using System.Security.Cryptography;
using System.Text;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Progress;
using Pipeline.Storage;

namespace Pipeline.Training;

/// <summary>
/// Featurises a candidate's training images through the cache. Where other backbones of the same retrain are cut from
/// the same network (<see cref="SharedTrunk"/>: Resnet18 and Resnet18Spatial), it runs them all at once and keeps its
/// own slice: their caches fill in the same run, so their candidates read every feature from the cache, and the
/// retrain runs the shared layers once per image instead of once per backbone. Candidates that run at the same time
/// (the service's workers) take turns per view through a lock beside the cache, so the second reads what the first
/// computed instead of computing it again.
/// </summary>
public sealed class TrainingFeaturizer : IDisposable
{
    /// <summary>Longer than a sibling featurises a large retrain's view; past it, waiting costs more than computing.</summary>
    private static readonly TimeSpan TurnWait = TimeSpan.FromMinutes(30);

    private readonly ModelFeaturizer _own;
    private readonly ImageFeaturizer? _withSiblings;
    private readonly FeatureCache _cache;

    private TrainingFeaturizer(ModelFeaturizer own, ImageFeaturizer? withSiblings, FeatureCache cache)
    {
        _own = own;
        _withSiblings = withSiblings;
        _cache = cache;
    }

    /// <summary>The backbones computed with the candidate's own, beyond it (none when it runs alone).</summary>
    public IReadOnlyList<string> Siblings =>
        _withSiblings is null ? [] : _withSiblings.Descriptors.Skip(1).Select(d => d.Name).ToList();

    /// <summary>Features through <paramref name="own"/> alone (a combined model's own featurizer already shares its run).</summary>
    public static TrainingFeaturizer Alone(ModelFeaturizer own, FeatureCache cache) => new(own, null, cache);

    /// <param name="own">The candidate's featurizer; a single backbone is all that may gain siblings.</param>
    /// <param name="siblings">The retrain's other architectures; those that share the candidate's network join it.</param>
    public static async Task<TrainingFeaturizer> CreateAsync(ModelFeaturizer own, IReadOnlyList<string> siblings,
        BackboneStore backbones, FeatureCache cache, BackboneSessionOptions? sessionOptions, IProgress<ProgressUpdate>? progress,
        CancellationToken ct)
    {
        if (own.Backbones is not [{ IsRawPixels: false } backbone]) return Alone(own, cache);
        var group = new List<PreparedBackbone> { backbone };
        foreach (var name in siblings.Where(s => s != backbone.Descriptor.Name && !CandidateTrainer.IsCombined(s)).Distinct())
        {
            if (backbones.Catalog.Get(name).Source == BackboneSourceKind.RawPixels) continue;
            PreparedBackbone sibling;
            try
            {
                sibling = await backbones.PrepareAsync(name, null, progress, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The sibling's own candidate reports why it cannot be prepared; this candidate runs alone.
                continue;
            }

            if (SharedTrunk.CanShareRun([backbone, sibling])) group.Add(sibling);
        }

        return new TrainingFeaturizer(own, group.Count > 1 ? SharedTrunk.TryCreate(group, sessionOptions) : null, cache);
    }

    /// <summary>The candidate's features of one view of <paramref name="images"/>, from the cache or computed.</summary>
    public async Task<FeatureSet> FeaturizeAsync(IReadOnlyList<LabelledImage> images, ImageView view,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        if (_withSiblings is null) return await _own.FeaturizeAsync(images, _cache, view, progress, ct);
        FeatureSet all;
        await using (await TakeTurnAsync(view, ct))
            all = await _withSiblings.FeaturizeAsync(images, _cache, view, progress, ct);
        // The candidate's backbone is the group's first, so its features lead every vector.
        var length = _own.FeatureLength;
        var own = all.BySha256.ToDictionary(p => p.Key, p => p.Value.AsSpan(0, length).ToArray(), StringComparer.Ordinal);
        return all with { BySha256 = own };
    }

    /// <summary>
    /// The lock of this group of backbones and view, beside the cache; null (no lock) when another candidate holds it
    /// for longer than <see cref="TurnWait"/>, or the cache's folder cannot hold a lock (a read-only cache of features
    /// all computed): then both compute, as they would without the lock.
    /// </summary>
    private async Task<IAsyncDisposable?> TakeTurnAsync(ImageView view, CancellationToken ct)
    {
        var keys = string.Join('|', _withSiblings!.Descriptors.Select(d => ImageFeaturizer.CacheKey(d, view)).Order(StringComparer.Ordinal));
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keys)))[..16];
        var folder = Path.Combine(_cache.Root, ".turns");
        try
        {
            Directory.CreateDirectory(folder);
            return await FileGate.AcquireAsync(Path.Combine(folder, name + ".lock"), ct, TurnWait);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The candidate's features of each of <paramref name="views"/> of the images, in that order.</summary>
    public async Task<IReadOnlyDictionary<ImageView, IReadOnlyDictionary<string, float[]>>> FeaturizeViewsAsync(
        IReadOnlyList<LabelledImage> images, IReadOnlyList<ImageView> views, IProgress<ProgressUpdate>? progress,
        CancellationToken ct)
    {
        var result = new Dictionary<ImageView, IReadOnlyDictionary<string, float[]>>();
        foreach (var view in views) result[view] = (await FeaturizeAsync(images, view, progress, ct)).BySha256;
        return result;
    }

    public void Dispose() => _withSiblings?.Dispose();
}
