using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Export;
using Pipeline.Features;
using Pipeline.Tests.Support;
using Pipeline.Training;
using Xunit.Abstractions;

namespace Pipeline.Tests.Training;

/// <summary>
/// The head fitted in the span of its rows is the direct ML.NET fit's model, on real features of real clip art:
/// InceptionV3 features (2,048) of 180 images of the 6 × 40 sample, so the row-span path applies.
/// </summary>
/// <remarks>
/// The issue asked for probabilities within 1e-4. That is below what ML.NET's float L-BFGS can resolve on this
/// problem, for the direct fit itself (measured on these features, L2 1 / 10 / 30 / 100):
/// <list type="bullet">
/// <item>Cold row-span and direct fits differ by 1.9e-3 / 6.5e-4 / 5.7e-4 / 4.4e-4 in held-out probability, while their
/// objectives agree within 3e-6 relative, the row-span one lower at L2 1 and 10, the direct one at 30 and 100.</item>
/// <item>Tolerances 1e-8 and 1e-10 (3,000 and 10,000 iterations) give the very same stopping points: the fits stop on
/// float resolution, not on the tolerance; ML.NET refuses a tolerance of 0.</item>
/// <item>The direct fit started at the row-span optimum stays there (same objective to 7 digits), and started at the
/// optimum of an L2 1 % off it does not move either: two points 2e-3 apart are both stationary for the float
/// optimiser. (The rows are separable; along directions where the training rows are confident the loss is nearly
/// flat, and held-out rows, which are not confident, read those directions.)</item>
/// </list>
/// So the sharp check is the objective (within 1e-5 relative, either way), and held-out probabilities are held to 5e-3,
/// above that floor. Both still fail for a wrong model: the basis with eigenvalues below 1e-3 of the largest dropped
/// gives objective 21.25 against 4.41; the direct fit at an L2 10 % off differs by 8.7e-3 in probability.
/// </remarks>
[Collection(SampleDataCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class RowSpanHeadFitTests(SampleDataFixture sample, ITestOutputHelper output)
{
    private const double ProbabilityTolerance = 5e-3;
    private const double RelativeObjectiveTolerance = 1e-5;

    private static readonly HeadOptions Tight = HeadOptions.Default with { OptimizationTolerance = 1e-8f, MaximumIterations = 3000 };

    private sealed record Split(List<FeatureRow> Train, List<FeatureRow> HeldOut, IReadOnlyList<string> Labels, int FeatureLength);

    private async Task<Split> InceptionSplitAsync()
    {
        var scan = await LabelledFolderScanner.ScanUsableAsync(sample.DataFolder);
        var environment = sample.CreateEnvironment();
        using var featurizer = new ImageFeaturizer(await environment.Backbones.PrepareAsync(BackboneCatalog.InceptionV3));
        var features = await featurizer.FeaturizeAsync(scan.Images, environment.Features);
        var byLabel = scan.Images.Where(i => features.BySha256.ContainsKey(i.Sha256)).DistinctBy(i => i.Sha256)
            .GroupBy(i => i.Label).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(i => i.Sha256, StringComparer.Ordinal)
                .Select(i => new FeatureRow { Label = i.Label, Features = features.BySha256[i.Sha256] }).ToList())
            .ToList();
        return new Split(byLabel.SelectMany(g => g.Take(g.Count * 3 / 4)).ToList(), byLabel.SelectMany(g => g.Skip(g.Count * 3 / 4)).ToList(),
            scan.Labels, featurizer.Descriptor.FeatureLength);
    }

    private static float[][] Probabilities(MLContext ml, ITransformer head, Split split)
    {
        var engine = ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(head, inputSchemaDefinition: HeadTrainer.SchemaFor(split.FeatureLength));
        return split.HeldOut.Select(r => engine.Predict(r).Score.ToArray()).ToArray();
    }

    private double LargestDifference(string what, float[][] expected, float[][] actual)
    {
        var largest = expected.Zip(actual).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));
        output.WriteLine($"{what}: largest probability difference {largest:E2}");
        return largest;
    }

    // The training objective in double: log loss summed over the rows, each times its weight (1 unless LabelBalance
    // weighted it), plus L2/2 times the squared weights (biases not penalised).
    private double Objective(string what, LinearHead head, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> labels, float l2)
    {
        var loss = rows.Sum(r => -r.Weight * Math.Log(head.Probabilities(r.Features)[labels.ToList().IndexOf(r.Label)]));
        var objective = loss + l2 / 2 * head.Weights.Sum(w => (double)w * w);
        output.WriteLine($"{what}: objective {objective:F6}");
        return objective;
    }

    private double Objective(string what, LinearHead head, Split split, float l2) => Objective(what, head, split.Train, split.Labels, l2);

    private static void AssertSameOptimum(double rowSpan, double direct) =>
        Assert.True(Math.Abs(rowSpan - direct) <= RelativeObjectiveTolerance * direct, $"objective {rowSpan:F6} vs direct {direct:F6}");

    [Fact]
    public async Task Row_span_fit_is_the_direct_fits_optimum_and_an_ordinary_MLNET_head()
    {
        var split = await InceptionSplitAsync();
        var options = Tight with { L2Regularization = 1f }; // the least regularised value of the grid: the hardest fit
        Assert.True(RowSpanHeadFit.Applies(split.Train.Count, split.FeatureLength, options));

        var ml = new MLContext(seed: 1);
        var span = HeadTrainer.Train(ml, split.Train, split.Labels, split.FeatureLength, options);
        var direct = HeadTrainer.TrainDirectly(new MLContext(seed: 1), split.Train, split.Labels, split.FeatureLength, options);
        var spanHead = LinearHead.From(span, split.FeatureLength, split.Labels.Count);
        var directHead = LinearHead.From(direct, split.FeatureLength, split.Labels.Count);
        Assert.Equal(directHead.Scale, spanHead.Scale);
        AssertSameOptimum(Objective("row span", spanHead, split, 1f), Objective("direct", directHead, split, 1f));

        var expected = Probabilities(ml, span, split);
        Assert.True(LargestDifference("cold direct fit", expected, Probabilities(ml, direct, split)) <= ProbabilityTolerance);

        // Saved as head.zip and loaded back, it answers the same, and export reads the same numbers.
        using var zip = new MemoryStream();
        HeadTrainer.Save(ml, span, split.FeatureLength, zip);
        zip.Position = 0;
        var loadedMl = new MLContext(seed: 1);
        var loaded = loadedMl.Model.Load(zip, out _);
        Assert.True(LargestDifference("loaded from head.zip", expected, Probabilities(loadedMl, loaded, split)) <= 1e-6);
        Assert.Equal(spanHead.Weights, LinearHead.From(loaded, split.FeatureLength, split.Labels.Count).Weights);
        Assert.True(LargestDifference("LinearHead", expected, split.HeldOut.Select(r => spanHead.Probabilities(r.Features)).ToArray()) <= 1e-5);
    }

    [Fact]
    public async Task With_labels_of_unequal_size_the_row_span_fit_reaches_the_weighted_direct_fits_optimum()
    {
        var split = await InceptionSplitAsync();
        // Half the labels keep a quarter of their rows (30 against 7 or 8), weighted as a retrain weights them.
        var thinned = split.Labels.Index().Select(p => split.Train.Where(r => r.Label == p.Item).ToList() is var rows && p.Index % 2 == 1
                ? rows.Take(rows.Count / 4) : rows)
            .SelectMany(rows => rows).ToList();
        var options = Tight with { L2Regularization = 10f, BalanceLabels = true };
        Assert.True(RowSpanHeadFit.Applies(thinned.Count, split.FeatureLength, options));

        var span = LinearHead.From(HeadTrainer.Train(new MLContext(seed: 1), thinned, split.Labels, split.FeatureLength, options),
            split.FeatureLength, split.Labels.Count);
        var direct = LinearHead.From(HeadTrainer.TrainDirectly(new MLContext(seed: 1), thinned, split.Labels, split.FeatureLength, options),
            split.FeatureLength, split.Labels.Count);
        var (weighted, applied) = LabelBalance.Apply(thinned, enabled: true);
        Assert.True(applied);
        AssertSameOptimum(Objective("row span", span, weighted, split.Labels, 10f), Objective("direct", direct, weighted, split.Labels, 10f));
    }

    [Fact]
    public async Task Warm_started_fits_along_the_L2_path_reach_each_direct_fits_optimum()
    {
        var split = await InceptionSplitAsync();
        var path = RowSpanHeadFit.Prepare(new MLContext(seed: 1), split.Train, split.Labels, split.FeatureLength);
        Assert.Equal(split.Train.Count, path.Rank); // distinct images: no row is a mix of the others

        foreach (var l2 in new[] { 100f, 30f, 10f, 1f })
        {
            var options = Tight with { L2Regularization = l2 };
            var fitted = path.Fit(options);
            var direct = LinearHead.From(HeadTrainer.TrainDirectly(new MLContext(seed: 1), split.Train, split.Labels, split.FeatureLength, options),
                split.FeatureLength, split.Labels.Count);
            AssertSameOptimum(Objective($"L2 {l2} path", fitted, split, l2), Objective($"L2 {l2} direct", direct, split, l2));
        }
    }
}
