using Pipeline.Datasets;
using Pipeline.Training;

namespace Pipeline.Tests.Training;

/// <summary>
/// Folds grouped by design: no group on both sides of a fold, stratified folds when groups are missing or unusable,
/// and why grouping matters: stratified folds reward fitting a design that a new design does not share.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class GroupedFoldsTests
{
    private static string Sha(string text) => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary><paramref name="perPair"/> images of each label drawn in each group ("design").</summary>
    private static List<LabelledImage> Designs(int groups, int perPair, params string[] labels) =>
        Enumerable.Range(0, groups).SelectMany(g => labels.SelectMany(label => Enumerable.Range(0, perPair)
            .Select(i => new LabelledImage($"/data/{label}/design{g}-{i}.png", label, Sha($"{g}/{label}/{i}"), 8, 8, "png")
            {
                Group = $"design{g}",
            }))).ToList();

    [Fact]
    public void Grouped_folds_never_put_one_group_on_both_sides_and_say_so()
    {
        var images = Designs(groups: 7, perPair: 4, "a", "b", "c");

        var folds = FoldAssignment.Assign(images, 5, seed: 42);

        Assert.Equal(5, folds.Folds);
        Assert.Equal(FoldScheme.Grouped, folds.Scheme.Kind);
        Assert.Equal(7, folds.Scheme.Groups);
        foreach (var group in images.GroupBy(i => i.Group))
            Assert.Single(group.Select(i => folds.FoldOf(i.Sha256)).Distinct());
        Assert.Equal(5, images.Select(i => folds.FoldOf(i.Sha256)).Distinct().Count());
    }

    [Fact]
    public void Fewer_groups_than_folds_give_one_fold_per_group()
    {
        var images = Designs(groups: 2, perPair: 5, "a", "b");

        var folds = FoldAssignment.Assign(images, 5, seed: 1);

        Assert.Equal(2, folds.Folds);
        Assert.Equal(FoldScheme.Grouped, folds.Scheme.Kind);
        Assert.NotEqual(folds.FoldOf(images.First(i => i.Group == "design0").Sha256),
            folds.FoldOf(images.First(i => i.Group == "design1").Sha256));
    }

    [Fact]
    public void A_label_confined_to_one_group_falls_back_to_stratified_folds_and_names_the_label()
    {
        var images = Designs(groups: 4, perPair: 3, "a", "b");
        // Label "c" only ever arrived in one drop: a fold holding it could not train on it.
        images.AddRange(Enumerable.Range(0, 6).Select(i =>
            new LabelledImage($"/data/c/{i}.png", "c", Sha($"c/{i}"), 8, 8, "png") { Group = "design0" }));

        var folds = FoldAssignment.Assign(images, 5, seed: 3);

        Assert.Equal(FoldScheme.Stratified, folds.Scheme.Kind);
        Assert.Contains("'c'", folds.Scheme.Reason);
        Assert.Equal(5, folds.Folds);
    }

    [Fact]
    public void Missing_groups_or_grouping_turned_off_give_stratified_folds()
    {
        var grouped = Designs(groups: 5, perPair: 3, "a", "b");
        var oneWithout = grouped.Select((i, n) => n == 0 ? i with { Group = null } : i).ToList();
        var none = grouped.Select(i => i with { Group = null }).ToList();
        var oneGroup = grouped.Select(i => i with { Group = "all" }).ToList();

        Assert.Equal(FoldScheme.Stratified, FoldAssignment.Assign(oneWithout, 5, 1).Scheme.Kind);
        Assert.Contains("no group", FoldAssignment.Assign(oneWithout, 5, 1).Scheme.Reason);
        Assert.Equal(new FoldScheme(FoldScheme.Stratified, 0, "no groups known"), FoldAssignment.Assign(none, 5, 1).Scheme);
        Assert.Equal(FoldScheme.Stratified, FoldAssignment.Assign(oneGroup, 5, 1).Scheme.Kind);
        Assert.Equal(FoldScheme.Stratified, FoldAssignment.Assign(grouped, 5, 1, useGroups: false).Scheme.Kind);
        // The stratified folds are today's: grouping off gives the same folds as images without groups.
        var off = FoldAssignment.Assign(grouped, 5, 1, useGroups: false);
        var plain = FoldAssignment.Assign(none, 5, 1);
        Assert.All(grouped, i => Assert.Equal(plain.FoldOf(i.Sha256), off.FoldOf(i.Sha256)));
    }

    [Fact]
    public void Grouped_folds_do_not_reward_features_that_only_identify_a_design()
    {
        // Each (design, label) pair has its own feature direction and nothing is shared across designs: a head can
        // learn the designs it saw, and nothing carries to a new design. Stratified folds see every design in training
        // and call this near perfect; grouped folds measure what a new design would get: chance.
        string[] labels = ["a", "b", "c"];
        const int groups = 5;
        var images = Designs(groups, perPair: 6, labels);
        var random = new Random(11);
        var dimension = groups * labels.Length;
        var rows = images.Select(i =>
        {
            var features = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 0.4 - 0.2)).ToArray();
            features[int.Parse(i.Group!["design".Length..]) * labels.Length + Array.IndexOf(labels, i.Label)] += 3;
            return (i.Sha256, new FeatureRow { Label = i.Label, Features = features });
        }).ToList();
        var options = new CrossValidationOptions { L2Grid = [1f] };

        var stratified = CrossValidator.Run(rows, null, FoldAssignment.Assign(images, 5, 2, useGroups: false), labels, dimension,
            HeadOptions.Default, options, seed: 2);
        var grouped = CrossValidator.Run(rows, null, FoldAssignment.Assign(images, 5, 2), labels, dimension,
            HeadOptions.Default, options, seed: 2);

        Assert.True(stratified.MeanMacroAccuracy > 0.9, $"stratified: {stratified.MeanMacroAccuracy:0.000}");
        Assert.True(grouped.MeanMacroAccuracy < 0.6, $"grouped: {grouped.MeanMacroAccuracy:0.000}");
    }
}
