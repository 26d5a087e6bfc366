using System.Diagnostics;
using Pipeline.Backbones;
using Pipeline.Features;
using static Pipeline.Bench.BenchFormat;
using static Pipeline.Bench.BenchTiming;

namespace Pipeline.Bench;

/// <summary>
/// Section 9: what one run of the shared trunk saves the combined ResNet18 candidate. The same two backbones
/// (Resnet18Spatial, Resnet18) as one merged model (<see cref="SharedTrunk"/>) and as two featurizers, each decoding and
/// running alone, as before; every image through both in turn, so both medians come from the same minutes. Whatever
/// --architectures says: the shared trunk is about these two.
/// </summary>
public static class SharedTrunkBench
{
    /// <summary>The shared layers are nearly the whole network, so one run should cost well under the two.</summary>
    private const double Target = 0.75;

    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        PreparedBackbone[] backbones =
        [
            await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18Spatial, null, null, ct),
            await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18, null, null, ct),
        ];
        var images = await BenchImages.RealAsync(settings.WorkFolder, settings.HeadImagesPerLabel, ct);
        var bodies = images.Take(settings.FeaturizeImages).Select(i => File.ReadAllBytes(i.Path)).ToList();

        var clock = Stopwatch.StartNew();
        using var oneRun = ModelFeaturizer.Create(backbones, environment.Sessions);
        oneRun.OpenSessions();
        var openOne = clock.Elapsed.TotalSeconds;
        if (!oneRun.SharesOneRun) throw new PipelineException("Resnet18Spatial and Resnet18 did not share a run.");
        clock.Restart();
        using var separate = new ModelFeaturizer(backbones.Select(b => new ImageFeaturizer(b, environment.Sessions)).ToList());
        separate.OpenSessions();
        var openSeparate = clock.Elapsed.TotalSeconds;

        oneRun.Featurize(bodies[0], cancellationToken: ct);
        separate.Featurize(bodies[0], cancellationToken: ct); // warm-up: ORT's first run
        var oneMs = new List<double>();
        var separateMs = new List<double>();
        var largestDifference = 0.0;
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var body in bodies)
            {
                float[] shared = [], alone = [];
                oneMs.Add(Milliseconds(() => shared = oneRun.Featurize(body, cancellationToken: ct)));
                separateMs.Add(Milliseconds(() => alone = separate.Featurize(body, cancellationToken: ct)));
                largestDifference = Math.Max(largestDifference, RelativeDifference(alone, shared));
            }
        }

        var (one, two) = (Median(oneMs), Median(separateMs));
        log.WriteLine($"shared trunk: {one:0.0} ms per image in one run, {two:0.0} ms separately");
        var rows = new List<IReadOnlyList<string>>
        {
            new[]
            {
                "Resnet18Spatial + Resnet18", oneMs.Count.ToString(), F(two), F(one), Verdict(one / two, Target, false),
                largestDifference.ToString("0.0E+0"), $"{openSeparate:0.00} / {openOne:0.00}",
            },
        };
        var findings = new List<string>();
        if (!Met(one / two, Target, false))
            findings.Add($"One run cost {Ratio(one / two)} of two: on a loaded machine the two runs' medians scatter more than " +
                         "the shared layers save.");
        return new BenchSection("Shared trunk: the combined ResNet18 candidate in one run",
            "In process: `ModelFeaturizer.Featurize` (decode, backbones; no head) of the default set's combined candidate, " +
            "its two backbones merged into one ONNX model (one decode, the shared layers once) and as two featurizers that " +
            "each decode and run the whole network, as before the merge; each image of the real openclipart sample through " +
            "both in turn, every round. The features must be equal: the largest relative L2 difference is in the table. " +
            "The sessions open once each, the merged one first (it pays the first session's start-up).",
            [BenchTable.Of(["backbones", "calls", "p50 ms separately", "p50 ms in one run", "one run ÷ separately",
                "largest relative difference", "sessions open s (separately / one run)"], rows)],
            findings);
    }

    private static double RelativeDifference(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return double.PositiveInfinity;
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += Math.Pow(expected[i] - actual[i], 2);
            norm += Math.Pow(expected[i], 2);
        }

        return norm == 0 ? Math.Sqrt(difference) : Math.Sqrt(difference / norm);
    }
}
