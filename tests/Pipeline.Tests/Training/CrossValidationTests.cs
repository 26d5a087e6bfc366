using Pipeline.Datasets;
using Pipeline.Progress;
using Pipeline.Training;

namespace Pipeline.Tests.Training;

/// <summary>Folds by content, stratified and seeded; cross-validation on feature vectors, reproducible.</summary>
[Trait("Kind", "Unit")]
public sealed class CrossValidationTests
{
    private static string Sha(string label, int i) => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{label}/{i}")));

    private static List<LabelledImage> Images(int perLabel, params string[] labels) =>
        labels.SelectMany(label => Enumerable.Range(0, perLabel)
            .Select(i => new LabelledImage($"/data/{label}/{i}.png", label, Sha(label, i), 8, 8, "png"))).ToList();

    [Fact]
    public void Folds_depend_on_content_and_seed_only_not_on_paths_or_order()
    {
        var images = Images(23, "a", "b", "c");
        var renamed = images.Select(i => i with { Path = $"/store/{i.Sha256}.png" }).Reverse().ToList();

        var first = FoldAssignment.Assign(images, 5, seed: 42);
        var again = FoldAssignment.Assign(renamed, 5, seed: 42);
        var otherSeed = FoldAssignment.Assign(images, 5, seed: 43);

        Assert.All(images, i => Assert.Equal(first.FoldOf(i.Sha256), again.FoldOf(i.Sha256)));
        Assert.Contains(images, i => first.FoldOf(i.Sha256) != otherSeed.FoldOf(i.Sha256));
    }

    [Fact]
    public void Folds_are_stratified_per_label_and_balanced()
    {
        var images = Images(23, "a", "b", "c");
        var folds = FoldAssignment.Assign(images, 5, seed: 7);

        Assert.Equal(5, folds.Folds);
        foreach (var label in images.GroupBy(i => i.Label))
        {
            var sizes = label.GroupBy(i => folds.FoldOf(i.Sha256)).Select(g => g.Count()).ToList();
            Assert.Equal(5, sizes.Count);
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"label {label.Key}: fold sizes {string.Join(",", sizes)}");
        }

        var overall = images.GroupBy(i => folds.FoldOf(i.Sha256)).Select(g => g.Count()).ToList();
        Assert.True(overall.Max() - overall.Min() <= 1, $"fold sizes {string.Join(",", overall)}");
    }

    [Fact]
    public void Exact_duplicates_stay_in_one_fold_and_count_once()
    {
        var images = Images(10, "a", "b");
        // Three copies of each of four contents, under other file names.
        var copies = images.Take(4).SelectMany(i => Enumerable.Range(1, 3).Select(c => i with { Path = $"{i.Path}.copy{c}.png" })).ToList();
        List<LabelledImage> withCopies = [.. images, .. copies];

        var plan = TrainingPlan.Create(withCopies, new SplitOptions { Seed = 3 }, 5, "test");
        var folds = FoldAssignment.Assign(withCopies, 5, seed: 3);

        Assert.Equal(plan.Train.Count, plan.Train.Select(i => i.Sha256).Distinct().Count());
        Assert.Empty(plan.Train.Select(i => i.Sha256).Intersect(plan.Test.Select(i => i.Sha256)));
        foreach (var group in withCopies.GroupBy(i => i.Sha256))
            Assert.Single(group.Select(i => folds.FoldOf(i.Sha256)).Distinct());
        // Copies do not take fold slots: 20 contents over 5 folds are 4 per fold.
        Assert.All(images.GroupBy(i => folds.FoldOf(i.Sha256)), g => Assert.Equal(4, g.Count()));
    }

    [Fact]
    public void Cross_validation_is_reproducible_and_tells_signal_from_noise()
    {
        var images = Images(20, "a", "b", "c");
        var folds = FoldAssignment.Assign(images, 5, seed: 1);
        var random = new Random(5);
        var centres = new Dictionary<string, float[]>
        {
            ["a"] = [3, 0, 0, 0], ["b"] = [0, 3, 0, 0], ["c"] = [0, 0, 3, 0],
        };
        var rows = images.Select(i => (i.Sha256, new FeatureRow
        {
            Label = i.Label, Features = centres[i.Label].Select(c => c + (float)(random.NextDouble() * 2 - 1)).ToArray(),
        })).ToList();
        var shuffledLabels = rows.Select((r, n) => (r.Sha256, new FeatureRow
        {
            Label = new[] { "a", "b", "c" }[random.Next(3)], Features = r.Item2.Features,
        })).ToList();
        string[] labels = ["a", "b", "c"];
        var options = new CrossValidationOptions { L2Grid = [1f, 100f] };

        var first = CrossValidator.Run(rows, null, folds, labels, 4, HeadOptions.Default, options, seed: 9);
        var again = CrossValidator.Run(rows, null, folds, labels, 4, HeadOptions.Default, options, seed: 9);
        var noise = CrossValidator.Run(shuffledLabels, null, folds, labels, 4, HeadOptions.Default, options, seed: 9);

        Assert.Equal(first.FoldMacroAccuracy, again.FoldMacroAccuracy);
        Assert.Equal(first.L2, again.L2);
        Assert.Equal(5, first.FoldMacroAccuracy.Count);
        Assert.Equal(2, first.Grid.Count);
        Assert.True(first.MeanMacroAccuracy > 0.9, $"separable blobs: {first.MeanMacroAccuracy:0.000}");
        Assert.True(noise.MeanMacroAccuracy < 0.7, $"random labels: {noise.MeanMacroAccuracy:0.000}");
        Assert.Equal(first.Grid.Max(g => g.MeanMacroAccuracy), first.MeanMacroAccuracy);
    }

    /// <summary>Records every report as it arrives, from whichever thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class RecordingProgress : IProgress<ProgressUpdate>
    {
        private readonly Lock _gate = new();
        public List<ProgressUpdate> Updates { get; } = [];

        public void Report(ProgressUpdate value)
        {
            lock (_gate) Updates.Add(value);
        }
    }

    [Fact]
    public void Cross_validation_reports_each_fold_and_L2_as_it_goes_and_its_result_does_not_depend_on_scheduling()
    {
        // 60 rows of 100 features: every fold fits fewer rows than features, so the row-span path runs.
        var images = Images(20, "a", "b", "c");
        var folds = FoldAssignment.Assign(images, 5, seed: 2);
        var random = new Random(11);
        var rows = images.Select(i => (i.Sha256, new FeatureRow
        {
            Label = i.Label,
            Features = Enumerable.Range(0, 100).Select(d => (float)(random.NextDouble() - 0.5)
                + (d < 30 && d / 10 == i.Label[0] - 'a' ? 1.5f : 0)).ToArray(),
        })).ToList();
        string[] labels = ["a", "b", "c"];
        var options = new CrossValidationOptions { L2Grid = [1f, 10f, 100f] };
        var progress = new RecordingProgress();

        var report = CrossValidator.Run(rows, null, folds, labels, 100, HeadOptions.Default, options, seed: 4, progress: progress, candidate: "Wide");
        var again = CrossValidator.Run(rows, null, folds, labels, 100, HeadOptions.Default, options, seed: 4);

        var updates = progress.Updates;
        Assert.Equal(1 + 5 * 3, updates.Count); // the start, then one per fit
        Assert.All(updates, u => Assert.Equal(15, u.Total));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), updates.Select(u => u.Done));
        Assert.All(updates, u => Assert.StartsWith("Wide: cross-validation", u.Detail));
        for (var fold = 1; fold <= 5; fold++)
            foreach (var l2 in new[] { "1", "10", "100" })
                Assert.Single(updates, u => u.Detail.Contains($"fold {fold}/5, L2 {l2},"));
        Assert.All(updates.Skip(1), u => Assert.Matches(@"about \d+ s left$", u.Detail));

        Assert.Equal(report.FoldMacroAccuracy, again.FoldMacroAccuracy);
        Assert.Equal(report.Grid, again.Grid);
        Assert.True(report.MeanMacroAccuracy > 0.8, $"separable labels: {report.MeanMacroAccuracy:0.000}");
    }
}
