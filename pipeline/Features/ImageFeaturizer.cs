using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Images;
using Pipeline.Progress;

namespace Pipeline.Features;

/// <summary>
/// Turns images into feature vectors with one backbone: decode, flatten onto white, resize, scale pixels, run the
/// backbone in batches. Decoding runs on every core ahead of the backbone, through a bounded queue, so memory stays
/// flat however many images there are. Thread-safe; one instance per backbone is meant to be shared.
/// </summary>
public sealed class ImageFeaturizer : IDisposable
{
    private readonly BackboneSession? _session;
    private readonly BackboneSessionOptions _options;
    private readonly ImageLimits _limits;
    private readonly float[] _white;
    private readonly float[] _black;

    public ImageFeaturizer(PreparedBackbone backbone, BackboneSessionOptions? options = null, ImageLimits? limits = null)
    {
        Backbone = backbone;
        _options = options ?? BackboneSessionOptions.Default;
        _limits = limits ?? ImageLimits.Default;
        _session = backbone.IsRawPixels ? null : new BackboneSession(backbone, _options);
        _white = PixelTensorWriter.ToChw(new RgbImage(1, 1, [255, 255, 255]), backbone.Descriptor.Scaling);
        _black = PixelTensorWriter.ToChw(new RgbImage(1, 1, [0, 0, 0]), backbone.Descriptor.Scaling);
    }

    public PreparedBackbone Backbone { get; }
    public BackboneDescriptor Descriptor => Backbone.Descriptor;

    private int PixelsPerImage => 3 * Descriptor.InputSize * Descriptor.InputSize;

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
            var features = new float[Descriptor.FeatureLength];
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
                ImageViewGeometry.Apply(views[v], slot, Descriptor.InputSize, _white, _black);
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
        var flat = new float[count * Descriptor.FeatureLength];
        Run(pixels, count, flat);
        return Enumerable.Range(0, count)
            .Select(i => flat.AsSpan(i * Descriptor.FeatureLength, Descriptor.FeatureLength).ToArray()).ToArray();
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
        var key = CacheKey(view);
        var results = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var misses = new List<LabelledImage>();
        foreach (var image in images.DistinctBy(i => i.Sha256))
        {
            if (cache is not null && cache.TryRead(key, image.Sha256, Descriptor.FeatureLength, out var cached))
                results[image.Sha256] = cached;
            else
                misses.Add(image);
        }

        var fromCache = results.Count;
        var total = fromCache + misses.Count;
        var detail = view == ImageView.Original ? Descriptor.Name : $"{Descriptor.Name} ({view})";
        progress?.Report(new ProgressUpdate("featurise", detail, fromCache, total));
        var failed = new List<RejectedFile>();
        var clock = Stopwatch.StartNew();
        if (misses.Count > 0)
            await ComputeAsync(misses, cache, key, view, results, failed, progress, detail, fromCache, total, ct);
        clock.Stop();
        return new FeatureSet(results, failed, misses.Count - failed.Count, fromCache, clock.Elapsed);
    }

    /// <summary>
    /// The cache key of a view: the backbone's feature key plus the view's suffix (<see cref="ImageViewGeometry.CacheSuffix"/>).
    /// The original view keeps the key it always had, and the mirrored one its <c>-mirrored</c>, so existing caches stay valid.
    /// </summary>
    public string CacheKey(ImageView view) => Descriptor.FeatureKey + ImageViewGeometry.CacheSuffix(view);

    private async Task ComputeAsync(List<LabelledImage> misses, FeatureCache? cache, string key, ImageView view,
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
        var batchFeatures = new float[batchSize * Descriptor.FeatureLength];
        var done = alreadyDone;

        void Flush()
        {
            for (var i = 0; i < batch.Count; i++)
                batch[i].Pixels.AsSpan(0, PixelsPerImage).CopyTo(batchPixels.AsSpan(i * PixelsPerImage));
            Run(batchPixels, batch.Count, batchFeatures);
            for (var i = 0; i < batch.Count; i++)
            {
                var vector = batchFeatures.AsSpan(i * Descriptor.FeatureLength, Descriptor.FeatureLength).ToArray();
                cache?.Write(key, batch[i].Image.Sha256, vector);
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
            ImageViewGeometry.Apply(view, pixels.AsSpan(0, PixelsPerImage), Descriptor.InputSize, _white, _black);
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
        var side = Descriptor.InputSize;
        var loaded = ImageLoader.Load(encoded, new ImageLoadOptions
        {
            TargetWidth = side,
            TargetHeight = side,
            ResizeMode = Descriptor.Resize,
            Limits = limits ?? _limits,
        }, cancellationToken);
        if (loaded.Image is not { } image)
            throw new ImageRejectedException(loaded.Message ?? "not a usable image");
        PixelTensorWriter.WriteChw(image, Descriptor.Scaling, destination);
    }

    private void Run(float[] pixels, int count, Span<float> features)
    {
        if (_session is not null)
        {
            _session.Run(pixels, count, features);
            return;
        }

        // Raw-pixel baseline: the scaled pixels are the features.
        pixels.AsSpan(0, count * PixelsPerImage).CopyTo(features);
    }

    public void Dispose() => _session?.Dispose();

    private sealed record DecodedImage(LabelledImage Image, float[] Pixels, string? Rejection);
}
