using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Training;

namespace Pipeline.Tests.Training;

/// <summary>
/// The view gate on real head fits and real folds, with feature vectors made by the test so that what the views carry is
/// known: views never cross folds, and views (and averaging) are kept only when cross-validation scores them better.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class ViewGateTests
{
    private const int FeatureLength = 24;
    private static readonly string[] Labels = ["a", "b", "c"];

    private static string Sha(int i) => i.ToString("x64");

    private static FoldAssignment Folds(int count) =>
        FoldAssignment.Assign(Enumerable.Range(0, count)
            .Select(i => new LabelledImage($"/{i}.png", Labels[i % Labels.Length], Sha(i), 1, 1, "png")).ToList(), 5, 7);

    /// <summary>Class means far apart in the first dimensions; <paramref name="noise"/> gaussian everywhere.</summary>
    private static float[] Sample(Random random, int label, double noise)
    {
        var v = new float[FeatureLength];
        for (var d = 0; d < FeatureLength; d++) v[d] = (float)(noise * Gaussian(random));
        v[label] += 1f;
        return v;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static List<(string Sha256, FeatureRow Row)> Rows(int count, Func<int, float[]> features) =>
        Enumerable.Range(0, count).Select(i => (Sha(i), new FeatureRow { Label = Labels[i % Labels.Length], Features = features(i) }))
            .OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();

    private static Dictionary<ImageView, IReadOnlyDictionary<string, float[]>> Views(int count, Func<int, ImageView, float[]> features) =>
        ImageViewGeometry.Augmenting.ToDictionary(v => v,
            v => (IReadOnlyDictionary<string, float[]>)Enumerable.Range(0, count).ToDictionary(Sha, i => features(i, v)));

    private static CrossValidationOptions Options(ViewChoice views, ViewChoice tta) =>
        new() { L2Grid = [0.01f, 1f], TrainingViews = views, TestTimeAveraging = tta };

    [Fact]
    public void Views_of_a_validation_image_never_join_its_training_folds()
    {
        // Labels are noise and so are the features, but each image's views are exact copies of it: a view that crossed
        // into the training folds would hand the head its validation answer (a weakly regularised head memorises it).
        // More dimensions than images: a leaked copy could always be fitted exactly.
        const int count = 60, length = 96;
        var random = new Random(3);
        var features = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => (float)Gaussian(random)).ToArray()).ToList();
        var rows = Rows(count, i => features[i]);
        var views = Views(count, (i, _) => features[i]);
        var folds = Folds(count);

        var report = ViewGate.Run(rows, null, views, folds, Labels, length, HeadOptions.Default,
            Options(ViewChoice.On, ViewChoice.On), 7);

        Assert.Equal(ImageViewGeometry.Augmenting, report.Views);
        Assert.True(report.TestTimeAveraging);
        Assert.True(report.MeanMacroAccuracy < 0.6, $"CV {report.MeanMacroAccuracy:0.000} on noise: views leaked across folds");
        // Every fit row of a fold is an image of its training part or a view of one (FitRows, what each fold calls).
        for (var fold = 0; fold < folds.Folds; fold++)
        {
            var training = rows.Where(r => folds.FoldOf(r.Sha256) != fold).ToList();
            var held = rows.Where(r => folds.FoldOf(r.Sha256) == fold).Select(r => r.Row.Features).ToHashSet();
            var fit = ViewFeatures.FitRows(training, null, new ViewFeatures(views, Train: true, Average: false));
            Assert.Equal(training.Count * 4, fit.Count);
            Assert.DoesNotContain(fit, r => held.Contains(r.Features));
        }
    }

    [Fact]
    public void The_gate_keeps_training_views_when_cross_validation_scores_them_better()
    {
        // Few, noisy originals; each view is another draw of its image's class: four times the data, a better head.
        const int count = 30;
        var random = new Random(11);
        var rows = Rows(count, i => Sample(random, i % Labels.Length, 1.2));
        var views = Views(count, (i, _) => Sample(random, i % Labels.Length, 1.2));

        var report = ViewGate.Run(rows, null, views, Folds(count), Labels, FeatureLength, HeadOptions.Default,
            Options(ViewChoice.Auto, ViewChoice.Auto), 7);

        Assert.Equal(3, report.ViewTrials.Count);
        var without = report.ViewTrials.Single(t => !t.TrainingViews);
        Assert.True(report.Views.Count > 0,
            $"views not kept: CV without {without.MeanMacroAccuracy:0.000}, with {report.MeanMacroAccuracy:0.000}");
        Assert.True(report.MeanMacroAccuracy > without.MeanMacroAccuracy);
        Assert.Equal(report.ViewTrials.Max(t => t.MeanMacroAccuracy), report.MeanMacroAccuracy);
    }

    [Fact]
    public void The_gate_drops_training_views_and_averaging_when_cross_validation_scores_them_worse()
    {
        // Clean originals; every view looks like another class, drawn at random: no mapping from views to labels to learn,
        // so training on them or averaging over them can only hurt.
        const int count = 30;
        var random = new Random(13);
        var rows = Rows(count, i => Sample(random, i % Labels.Length, 0.3));
        var views = Views(count, (i, _) => Sample(random, (i + 1 + random.Next(2)) % Labels.Length, 0.3));

        var report = ViewGate.Run(rows, null, views, Folds(count), Labels, FeatureLength, HeadOptions.Default,
            Options(ViewChoice.Auto, ViewChoice.Auto), 7);

        Assert.Empty(report.Views);
        Assert.False(report.TestTimeAveraging);
        Assert.Equal(3, report.ViewTrials.Count);
        Assert.All(report.ViewTrials.Where(t => t.TrainingViews), t => Assert.True(t.MeanMacroAccuracy <= report.MeanMacroAccuracy));
        Assert.True(report.ViewTrials.Where(t => t.TrainingViews).Min(t => t.MeanMacroAccuracy) < report.MeanMacroAccuracy);
    }

    [Fact]
    public void Off_runs_one_trial_without_views_and_needs_no_view_features()
    {
        var options = Options(ViewChoice.Off, ViewChoice.Off);
        Assert.Equal([(false, false)], ViewGate.Trials(options));
        Assert.False(ViewGate.NeedsViews(options));
        Assert.Equal([(false, false), (true, false), (true, true)], ViewGate.Trials(Options(ViewChoice.Auto, ViewChoice.Auto)));
    }
}
