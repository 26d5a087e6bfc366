using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Images;
using Pipeline.Progress;

namespace Pipeline.Features;

/// <summary>
/// Turns images into feature vectors with one backbone, or with several that share one run (<see cref="SharedTrunk"/>):
/// decode, flatten onto white, resize, scale pixels, run the backbone in batches. Decoding runs on every core ahead of
/// the backbone, through a bounded queue, so memory stays flat however many images there are. Several backbones'
/// features come concatenated in their order, and each is cached under its own key. Thread-safe; one instance per
/// backbone is meant to be shared.
/// </summary>
public sealed class ImageFeaturizer : IDisposable
{
    // Opened on first use: a retrain whose features are all cached never pays for a session.
    private readonly Lazy<BackboneSession?> _session;
    private readonly BackboneSessionOptions _options;
    private readonly ImageLimits _limits;
    private readonly float[] _white;
    private readonly float[] _black;

    /// <summary>The backbone whose input every backbone here shares: its size, pixel scaling and resize.</summary>
    private readonly BackboneDescriptor _input;

    public ImageFeaturizer(PreparedBackbone backbone, BackboneSessionOptions? options = null, ImageLimits? limits = null)
        : this([backbone], options, limits,
            () => backbone.IsRawPixels ? null : new BackboneSession(backbone, options ?? BackboneSessionOptions.Default))
    {
    }

    /// <summary>Several backbones run as one session, opened by <paramref name="openSession"/> (<see cref="SharedTrunk.TryCreate"/>).</summary>
    internal ImageFeaturizer(IReadOnlyList<PreparedBackbone> backbones, BackboneSessionOptions? options, ImageLimits? limits,
        Func<BackboneSession?> openSession)
    {
        Backbones = backbones;
        Descriptors = backbones.Select(b => b.Descriptor).ToList();
        FeatureLength = Descriptors.Sum(d => d.FeatureLength);
        _input = Descriptors[0];
        _options = options ?? BackboneSessionOptions.Default;
        _limits = limits ?? ImageLimits.Default;
        _session = new Lazy<BackboneSession?>(openSession, LazyThreadSafetyMode.ExecutionAndPublication);
        _white = PixelTensorWriter.ToChw(new RgbImage(1, 1, [255, 255, 255]), _input.Scaling);
        _black = PixelTensorWriter.ToChw(new RgbImage(1, 1, [0, 0, 0]), _input.Scaling);
    }

    /// <summary>The backbones whose features this computes, in feature order (one, unless they share a run).</summary>
    public IReadOnlyList<PreparedBackbone> Backbones { get; }

    public IReadOnlyList<BackboneDescriptor> Descriptors { get; }

    /// <summary>The length of the vector it returns: every backbone's features, concatenated.</summary>
    public int FeatureLength { get; }

    /// <summary>The one backbone of a single-backbone featurizer.</summary>
    /// <exception cref="InvalidOperationException">It runs several backbones; read <see cref="Backbones"/>.</exception>
    public PreparedBackbone Backbone => Backbones.Count == 1
        ? Backbones[0]
        : throw new InvalidOperationException($"This featurizer runs {Backbones.Count} backbones; read Backbones.");

    /// <inheritdoc cref="Backbone"/>
    public BackboneDescriptor Descriptor => Backbone.Descriptor;

    private int PixelsPerImage => 3 * _input.InputSize * _input.InputSize;

    /// <summary>Opens the backbone session now rather than on first use, so a broken backbone fails here.</summary>
    public void OpenSession() => _ = _session.Value;

    /// <summary>Features of one encoded image (the predict path).</summary>
    /// <param name="limits">Decoding limits for this image; null: this featurizer's own.</param>
    /// <exception cref="ImageRejectedException">The bytes are not a usable image.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while decoding.</exception>
    public float[] Featurize(ReadOnlySpan<byte> encoded, ImageLimits? limits = null, CancellationToken cancellationToken = default)
    {
        var pixels = ArrayPool<float>.Shared.Rent(PixelsPerImage);
        try
        {
            DecodeInto(encoded, pixels.AsSpan(0, PixelsPerImage), limits, cancellationToken);
            var features = new float[FeatureLength];
            Run(pixels, 1, features);
            return features;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pixels);
        }
    }

    /// <summary>
    /// Features of several <paramref name="views"/> of one encoded image, decoded once and run through the backbone as
    /// one batch (the test-time-averaging predict path); one vector per view, in order.
    /// </summary>
    /// <exception cref="ImageRejectedException">The bytes are not a usable image.</exception>
    public float[][] FeaturizeViews(ReadOnlySpan<byte> encoded, IReadOnlyList<ImageView> views, ImageLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        var pixels = ArrayPool<float>.Shared.Rent(PixelsPerImage * views.Count);
        try
        {
            var fitted = pixels.AsSpan(0, PixelsPerImage);
            DecodeInto(encoded, fitted, limits, cancellationToken);
            // Fill from the last slot down, so the fitted tensor in slot 0 is read before it is turned into its own view.
            for (var v = views.Count - 1; v >= 0; v--)
            {
                var slot = pixels.AsSpan(v * PixelsPerImage, PixelsPerImage);
                if (v > 0) fitted.CopyTo(slot);
                ImageViewGeometry.Apply(views[v], slot, _input.InputSize, _white, _black);
            }

            return RunRows(pixels, views.Count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pixels);
        }
    }

    /// <summary>Runs <paramref name="count"/> prepared images in one backbone call and returns one feature row each.</summary>
    private float[][] RunRows(float[] pixels, int count)
    {
        var flat = new float[count * FeatureLength];
        Run(pixels, count, flat);
        return Enumerable.Range(0, count)
            .Select(i => flat.AsSpan(i * FeatureLength, FeatureLength).ToArray()).ToArray();
    }

    /// <summary>Features of many encoded images in one backbone call (the batched predict path).</summary>
    public float[][] FeaturizeBatch(IReadOnlyList<byte[]> encodedImages)
    {
        var pixels = ArrayPool<float>.Shared.Rent(PixelsPerImage * encodedImages.Count);
        try
        {
            for (var i = 0; i < encodedImages.Count; i++)
                DecodeInto(encodedImages[i], pixels.AsSpan(i * PixelsPerImage, PixelsPerImage));
            return RunRows(pixels, encodedImages.Count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pixels);
        }
    }

    /// <summary>
    /// Features of every image, from the cache where present; the rest are computed, cached and returned. Images that
    /// fail to decode are listed in <see cref="FeatureSet.Failed"/>, never thrown.
    /// </summary>
    public Task<FeatureSet> FeaturizeAsync(IReadOnlyList<LabelledImage> images, FeatureCache? cache,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default) =>
        FeaturizeAsync(images, cache, ImageView.Original, progress, ct);

    /// <summary>As above, for one <paramref name="view"/> of the images; each view is cached under its own key.</summary>
    public async Task<FeatureSet> FeaturizeAsync(IReadOnlyList<LabelledImage> images, FeatureCache? cache, ImageView view,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var keys = Descriptors.Select(d => CacheKey(d, view)).ToList();
        var results = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var misses = new List<LabelledImage>();
        foreach (var image in images.DistinctBy(i => i.Sha256))
        {
            if (cache is not null && TryReadCached(cache, keys, image.Sha256) is { } cached)
                results[image.Sha256] = cached;
            else
                misses.Add(image);
        }

        var fromCache = results.Count;
        var total = fromCache + misses.Count;
        var names = string.Join('+', Descriptors.Select(d => d.Name));
        var detail = view == ImageView.Original ? names : $"{names} ({view})";
        progress?.Report(new ProgressUpdate("featurise", detail, fromCache, total));
        var failed = new List<RejectedFile>();
        var clock = Stopwatch.StartNew();
        if (misses.Count > 0)
            await ComputeAsync(misses, cache, keys, view, results, failed, progress, detail, fromCache, total, ct);
        clock.Stop();
        return new FeatureSet(results, failed, misses.Count - failed.Count, fromCache, clock.Elapsed);
    }

    /// <summary>
    /// The cache key of a view: the backbone's feature key plus the view's suffix (<see cref="ImageViewGeometry.CacheSuffix"/>).
    /// The original view keeps the key it always had, and the mirrored one its <c>-mirrored</c>, so existing caches stay valid.
    /// </summary>
    public string CacheKey(ImageView view) => CacheKey(Descriptor, view);

    /// <inheritdoc cref="CacheKey(ImageView)"/>
    public static string CacheKey(BackboneDescriptor descriptor, ImageView view) =>
        descriptor.FeatureKey + ImageViewGeometry.CacheSuffix(view);

    /// <summary>The image's features from every backbone's cache entry, concatenated; null when any is missing.</summary>
    private float[]? TryReadCached(FeatureCache cache, IReadOnlyList<string> keys, string sha256)
    {
        if (keys.Count == 1) return cache.TryRead(keys[0], sha256, FeatureLength, out var single) ? single : null;
        var joined = new float[FeatureLength];
        var offset = 0;
        for (var b = 0; b < keys.Count; b++)
        {
            var length = Descriptors[b].FeatureLength;
            if (!cache.TryRead(keys[b], sha256, length, out var part)) return null;
            part.CopyTo(joined, offset);
            offset += length;
        }

        return joined;
    }

    /// <summary>Writes each backbone's slice of <paramref name="features"/> under its own key.</summary>
    private void WriteCached(FeatureCache cache, IReadOnlyList<string> keys, string sha256, float[] features)
    {
        var offset = 0;
        for (var b = 0; b < keys.Count; b++)
        {
            var length = Descriptors[b].FeatureLength;
            cache.Write(keys[b], sha256, keys.Count == 1 ? features : features.AsSpan(offset, length).ToArray());
            offset += length;
        }
    }

    private async Task ComputeAsync(List<LabelledImage> misses, FeatureCache? cache, IReadOnlyList<string> keys, ImageView view,
        Dictionary<string, float[]> results, List<RejectedFile> failed, IProgress<ProgressUpdate>? progress,
        string detail, int alreadyDone, int total, CancellationToken ct)
    {
        var batchSize = Math.Max(1, _options.BatchSize);
        var queue = Channel.CreateBounded<DecodedImage>(new BoundedChannelOptions(batchSize * 2)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var producer = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(misses,
                    new ParallelOptions { MaxDegreeOfParallelism = _options.EffectiveDecodeParallelism, CancellationToken = ct },
                    async (image, token) => await queue.Writer.WriteAsync(await DecodeFileAsync(image, view, token), token));
                queue.Writer.Complete();
            }
            catch (Exception e)
            {
                queue.Writer.Complete(e);
            }
        }, ct);

        var batch = new List<DecodedImage>(batchSize);
        var batchPixels = new float[batchSize * PixelsPerImage];
        var batchFeatures = new float[batchSize * FeatureLength];
        var done = alreadyDone;

        void Flush()
        {
            for (var i = 0; i < batch.Count; i++)
                batch[i].Pixels.AsSpan(0, PixelsPerImage).CopyTo(batchPixels.AsSpan(i * PixelsPerImage));
            Run(batchPixels, batch.Count, batchFeatures);
            for (var i = 0; i < batch.Count; i++)
            {
                var vector = batchFeatures.AsSpan(i * FeatureLength, FeatureLength).ToArray();
                if (cache is not null) WriteCached(cache, keys, batch[i].Image.Sha256, vector);
                results[batch[i].Image.Sha256] = vector;
                ArrayPool<float>.Shared.Return(batch[i].Pixels);
            }

            done += batch.Count;
            progress?.Report(new ProgressUpdate("featurise", detail, done, total));
            batch.Clear();
        }

        await foreach (var decoded in queue.Reader.ReadAllAsync(ct))
        {
            if (decoded.Rejection is not null)
            {
                failed.Add(new RejectedFile(decoded.Image.Path, decoded.Rejection));
                done++;
                continue;
            }

            batch.Add(decoded);
            if (batch.Count == batchSize) Flush();
        }

        if (batch.Count > 0) Flush();
        await producer;
    }

    private async Task<DecodedImage> DecodeFileAsync(LabelledImage image, ImageView view, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(image.Path, ct);
        }
        catch (IOException e)
        {
            return new DecodedImage(image, [], $"cannot read file: {e.Message}");
        }

        var pixels = ArrayPool<float>.Shared.Rent(PixelsPerImage);
        try
        {
            DecodeInto(bytes, pixels.AsSpan(0, PixelsPerImage), cancellationToken: ct);
            ImageViewGeometry.Apply(view, pixels.AsSpan(0, PixelsPerImage), _input.InputSize, _white, _black);
            return new DecodedImage(image, pixels, null);
        }
        catch (ImageRejectedException e)
        {
            ArrayPool<float>.Shared.Return(pixels);
            return new DecodedImage(image, [], e.Message);
        }
        catch (OperationCanceledException)
        {
            ArrayPool<float>.Shared.Return(pixels);
            throw;
        }
    }

    private void DecodeInto(ReadOnlySpan<byte> encoded, Span<float> destination, ImageLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        var side = _input.InputSize;
        var loaded = ImageLoader.Load(encoded, new ImageLoadOptions
        {
            TargetWidth = side,
            TargetHeight = side,
            ResizeMode = _input.Resize,
            Limits = limits ?? _limits,
        }, cancellationToken);
        if (loaded.Image is not { } image)
            throw new ImageRejectedException(loaded.Message ?? "not a usable image");
        PixelTensorWriter.WriteChw(image, _input.Scaling, destination);
    }

    private void Run(float[] pixels, int count, Span<float> features)
    {
        if (_session.Value is { } session)
        {
            session.Run(pixels, count, features);
            return;
        }

        // Raw-pixel baseline: the scaled pixels are the features.
        pixels.AsSpan(0, count * PixelsPerImage).CopyTo(features);
    }

    public void Dispose()
    {
        if (_session.IsValueCreated) _session.Value?.Dispose();
    }

    private sealed record DecodedImage(LabelledImage Image, float[] Pixels, string? Rejection);
}
