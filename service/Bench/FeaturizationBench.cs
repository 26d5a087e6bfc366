using System.Diagnostics;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Images;
using static Pipeline.Service.Bench.BenchFormat;

namespace Pipeline.Service.Bench;

/// <summary>
/// Section 1: images/s of the whole featurisation path (read file, decode, flatten, resize, pixels, backbone, in
/// batches) over images/s of a bare InferenceSession on the same ONNX file with tensors made in advance.
/// </summary>
public static class FeaturizationBench
{
    private const double Target = 0.85;

    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        var images = await BenchImages.RealAsync(settings.WorkFolder, (settings.FeaturizeImages + 7) / 8, ct);
        var batch = environment.Sessions.BatchSize;
        var rows = new List<IReadOnlyList<string>>();
        var findings = new List<string>();
        foreach (var architecture in settings.Architectures)
        {
            var sample = images.Take(settings.ImagesFor(architecture, settings.FeaturizeImages)).ToList();
            var backbone = await environment.Backbones.PrepareAsync(architecture, ct: ct);
            using var featurizer = new ImageFeaturizer(backbone, environment.Sessions);
            using var bare = new BareBackboneSession(backbone, BackboneSession.CreateSessionOptions(environment.Sessions));
            await featurizer.FeaturizeAsync(sample.Take(batch).ToList(), cache: null, ct: ct); // ORT's lazy initialisation

            // Alternating the two and keeping each one's best run cancels most of what other tenants do to the clock.
            double full = 0, reference = 0;
            for (var round = 0; round < 2; round++)
            {
                var clock = Stopwatch.StartNew();
                var set = await featurizer.FeaturizeAsync(sample, cache: null, ct: ct);
                full = Math.Max(full, set.Computed / clock.Elapsed.TotalSeconds);
                reference = Math.Max(reference, bare.ImagesPerSecond(batch, sample.Count));
            }

            var decode = DecodeImagesPerSecond(sample, backbone.Descriptor);
            var ratio = full / reference;
            log.WriteLine($"featurise {architecture}: full {full:0.0} img/s, bare {reference:0.0} img/s, ratio {ratio:0.00}, decode {decode:0.0} img/s");
            rows.Add([architecture, batch.ToString(), sample.Count.ToString(), F(full), F(reference), Verdict(ratio, Target, true), F(decode)]);
            if (!Met(ratio, Target, true))
            {
                findings.Add($"{architecture}: the full path reaches {Ratio(ratio)} of the bare session. Decoding alone runs at " +
                             $"{F(decode)} img/s on all cores, i.e. {F(1000.0 / decode, "0.0")} ms of CPU per image next to the " +
                             $"backbone's {F(1000.0 / reference, "0.0")} ms; on {Environment.ProcessorCount} cores decode and " +
                             "the backbone share the same cores, so the ratio cannot exceed about " +
                             $"{Ratio(1 / (1 + reference / decode))} however well they overlap.");
            }
        }

        return new BenchSection("Featurisation: full path ÷ bare ONNX Runtime",
            "Full path: `ImageFeaturizer.FeaturizeAsync` over real openclipart PNGs (read, decode, flatten onto white, resize, " +
            "scale, batched backbone), no feature cache. Bare: `InferenceSession.Run` on the same ONNX file with the same " +
            "session options and batch size, on a tensor made before the clock starts. Each side ran twice, alternating; " +
            "the best of each is kept. Decode-only is the pipeline's image decoding and pixel writing on all cores, no backbone.",
            [BenchTable.Of(["backbone", "batch", "images", "full path img/s", "bare ORT img/s", "full ÷ bare", "decode-only img/s"], rows)],
            findings);
    }

    private static double DecodeImagesPerSecond(IReadOnlyList<LabelledImage> images, Pipeline.Backbones.BackboneDescriptor descriptor)
    {
        var side = descriptor.InputSize;
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(images, image =>
        {
            var loaded = ImageLoader.Load(File.ReadAllBytes(image.Path), new ImageLoadOptions
            {
                TargetWidth = side, TargetHeight = side, ResizeMode = descriptor.Resize,
            });
            if (loaded.Image is { } rgb) PixelTensorWriter.ToChw(rgb, descriptor.Scaling);
        });
        return images.Count / clock.Elapsed.TotalSeconds;
    }
}
