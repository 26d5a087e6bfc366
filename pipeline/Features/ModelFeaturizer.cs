using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Images;
using Pipeline.Progress;

namespace Pipeline.Features;

/// <summary>
/// The features a model's head reads: one backbone's, or several backbones' concatenated in order (the combined
/// candidate), computed in one run where they share a network (<see cref="SharedTrunk"/>). Owns its
/// <see cref="ImageFeaturizer"/>s; thread-safe like them.
/// </summary>
public sealed class ModelFeaturizer : IDisposable
{
    private readonly IReadOnlyList<ImageFeaturizer> _parts;

    public ModelFeaturizer(IReadOnlyList<ImageFeaturizer> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count, nameof(parts));
        _parts = parts;
        FeatureLength = parts.Sum(p => p.FeatureLength);
    }

    /// <summary>One featurizer for backbones that can share a run, else one per backbone.</summary>
    public static ModelFeaturizer Create(IReadOnlyList<PreparedBackbone> backbones, BackboneSessionOptions? options = null) =>
        SharedTrunk.TryCreate(backbones, options) is { } shared
            ? new([shared])
            : new(backbones.Select(b => new ImageFeaturizer(b, options)).ToList());

    public IReadOnlyList<BackboneDescriptor> Descriptors => _parts.SelectMany(p => p.Descriptors).ToList();
    public int FeatureLength { get; }

    /// <summary>Opens every backbone session now rather than on first use, so a broken backbone fails here.</summary>
    public void OpenSessions()
    {
        foreach (var part in _parts) part.OpenSession();
    }

    /// <summary>Whether the backbones run as one merged model (<see cref="SharedTrunk"/>).</summary>
    public bool SharesOneRun => _parts.Count == 1 && _parts[0].Backbones.Count > 1;

    /// <summary>The prepared backbones, in feature order (what a saved model folder carries).</summary>
    public IReadOnlyList<PreparedBackbone> Backbones => _parts.SelectMany(p => p.Backbones).ToList();

    /// <param name="limits">Decoding limits for this call; null: the featurisers' own.</param>
    /// <param name="cancellationToken">Stops decoding a large image midway.</param>
    /// <exception cref="ImageRejectedException">The bytes are not a usable image.</exception>
    public float[] Featurize(ReadOnlySpan<byte> encoded, ImageLimits? limits = null, CancellationToken cancellationToken = default)
    {
        if (_parts.Count == 1) return _parts[0].Featurize(encoded, limits, cancellationToken);
        var result = new float[FeatureLength];
        var offset = 0;
        foreach (var part in _parts)
        {
            var features = part.Featurize(encoded, limits, cancellationToken);
            features.CopyTo(result, offset);
            offset += features.Length;
        }

        return result;
    }

    /// <summary>
    /// Features of several <paramref name="views"/> of one encoded image (each backbone runs them as one batch), one
    /// vector per view in order: the test-time-averaging predict path.
    /// </summary>
    /// <exception cref="ImageRejectedException">The bytes are not a usable image.</exception>
    public float[][] FeaturizeViews(ReadOnlySpan<byte> encoded, IReadOnlyList<ImageView> views, ImageLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        if (_parts.Count == 1) return _parts[0].FeaturizeViews(encoded, views, limits, cancellationToken);
        var result = Enumerable.Range(0, views.Count).Select(_ => new float[FeatureLength]).ToArray();
        var offset = 0;
        foreach (var part in _parts)
        {
            var features = part.FeaturizeViews(encoded, views, limits, cancellationToken);
            for (var v = 0; v < views.Count; v++) features[v].CopyTo(result[v], offset);
            offset += part.FeatureLength;
        }

        return result;
    }

    /// <summary>
    /// Features of every image through the cache (each backbone under its own key). An image any backbone rejects is
    /// failed for the whole model, as predict would fail on it.
    /// </summary>
    public async Task<FeatureSet> FeaturizeAsync(IReadOnlyList<LabelledImage> images, FeatureCache? cache, ImageView view,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var sets = new List<FeatureSet>(_parts.Count);
        foreach (var part in _parts)
            sets.Add(await part.FeaturizeAsync(images, cache, view, progress, ct));
        if (sets.Count == 1) return sets[0];

        var complete = sets[0].BySha256.Keys.Where(sha => sets.All(s => s.BySha256.ContainsKey(sha)));
        var joined = complete.ToDictionary(sha => sha, sha => Concatenate(sets.Select(s => s.BySha256[sha])), StringComparer.Ordinal);
        var failed = sets.SelectMany(s => s.Failed).DistinctBy(f => f.Path).ToList();
        return new FeatureSet(joined, failed, sets.Max(s => s.Computed), sets.Min(s => s.FromCache),
            TimeSpan.FromTicks(sets.Sum(s => s.ComputeTime.Ticks)));
    }

    private static float[] Concatenate(IEnumerable<float[]> parts) => parts.SelectMany(p => p).ToArray();

    public void Dispose()
    {
        foreach (var part in _parts) part.Dispose();
    }
}
