using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Datasets;

/// <summary>
/// Splits labelled images into train and test, label by label, so each label is held out in the same proportion.
/// </summary>
/// <remarks>
/// <para>
/// Each image's side is decided by a seeded hash of its SHA-256, not by its position in a shuffled list: an image
/// goes to test when <c>hash(seed, sha256)</c> falls below <see cref="SplitOptions.TestFraction"/>. The split is then
/// independent of input order, and a dataset that grows keeps its old split: new images never push old ones across,
/// so a model's earlier test images do not quietly become training images. The price is that each label's test
/// share is the fraction in expectation rather than exactly (binomially distributed around it).
/// </para>
/// <para>
/// Per label, at least one image is held out and at least one trained on: if the hash puts none in test, the image
/// with the lowest hash moves there (and symmetrically for train). Under growth this can only move an old image
/// from test back to train, never from train to test, except in the rare case where every image hashed into test.
/// </para>
/// <para>
/// Copies of one content stay together on one side, and content found under two labels is excluded, so no SHA-256
/// is ever in both train and test.
/// </para>
/// </remarks>
public static class StratifiedSplitter
{
    /// <summary>
    /// Splits <paramref name="images"/>. Expected problems (small labels, conflicting labels, fewer than two usable
    /// labels) are reported in <see cref="DatasetSplit.Excluded"/> and <see cref="DatasetSplit.Error"/>, never thrown.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options (a configuration bug).</exception>
    public static DatasetSplit Split(IReadOnlyList<LabelledImage> images, SplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var excluded = new List<RejectedFile>();
        var conflicts = images.GroupBy(i => i.Sha256)
            .Select(g => (Sha: g.Key, Labels: g.Select(i => i.Label).Distinct().Order(StringComparer.Ordinal).ToList()))
            .Where(g => g.Labels.Count > 1)
            .ToDictionary(g => g.Sha, g => $"conflicting labels: {string.Join(", ", g.Labels)}");
        excluded.AddRange(images.Where(i => conflicts.ContainsKey(i.Sha256)).Select(i => new RejectedFile(i.Path, conflicts[i.Sha256])));

        var eligible = new SortedDictionary<string, List<ContentGroup>>(StringComparer.Ordinal);
        foreach (var label in images.Where(i => !conflicts.ContainsKey(i.Sha256)).GroupBy(i => i.Label))
        {
            var groups = label.GroupBy(i => i.Sha256).Select(g => new ContentGroup(g.Key, g.ToList(), Score(options.Seed, g.Key))).ToList();
            if (groups.Count < options.MinImagesPerLabel)
            {
                string reason = $"label '{label.Key}' has {groups.Count} images; at least {options.MinImagesPerLabel} are needed";
                excluded.AddRange(label.Select(i => new RejectedFile(i.Path, reason)));
                continue;
            }

            eligible.Add(label.Key, groups);
        }

        var labels = eligible.Keys.ToList();
        if (labels.Count < 2)
        {
            string error = labels.Count == 0
                ? $"no label has at least {options.MinImagesPerLabel} images; at least two labels are needed"
                : $"only one label ('{labels[0]}') has at least {options.MinImagesPerLabel} images; at least two labels are needed";
            excluded.AddRange(eligible.Values.SelectMany(groups => groups).SelectMany(g => g.Images).Select(i => new RejectedFile(i.Path, error)));
            return new DatasetSplit([], [], Sorted(excluded), labels, error);
        }

        var train = new List<LabelledImage>();
        var test = new List<LabelledImage>();
        foreach (var groups in eligible.Values)
        {
            var (labelTrain, labelTest) = SplitLabel(groups, options.TestFraction);
            train.AddRange(labelTrain.SelectMany(g => g.Images));
            test.AddRange(labelTest.SelectMany(g => g.Images));
        }

        return new DatasetSplit(Sorted(train), Sorted(test), Sorted(excluded), labels);
    }

    /// <summary>
    /// Where the hash of <paramref name="sha256"/> under <paramref name="seed"/> falls in [0, 1): uniform,
    /// and the same on every machine and .NET version (unlike string.GetHashCode).
    /// </summary>
    internal static double Score(int seed, string sha256)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToString(CultureInfo.InvariantCulture) + ":" + sha256), digest);
        return (BinaryPrimitives.ReadUInt64BigEndian(digest) >> 11) * (1.0 / (1UL << 53));
    }

    private static (List<ContentGroup> Train, List<ContentGroup> Test) SplitLabel(List<ContentGroup> groups, double testFraction)
    {
        var byScore = groups.OrderBy(g => g.Score).ThenBy(g => g.Sha256, StringComparer.Ordinal).ToList();
        int testCount = byScore.Count(g => g.Score < testFraction);
        testCount = Math.Clamp(testCount, 1, byScore.Count - 1);
        return (byScore.Skip(testCount).ToList(), byScore.Take(testCount).ToList());
    }

    private static List<LabelledImage> Sorted(IEnumerable<LabelledImage> images) =>
        images.OrderBy(i => i.Path, StringComparer.Ordinal).ToList();

    private static List<RejectedFile> Sorted(IEnumerable<RejectedFile> files) =>
        files.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Reason, StringComparer.Ordinal).ToList();

    /// <summary>All copies of one content under one label: they go to the same side together.</summary>
    private sealed record ContentGroup(string Sha256, List<LabelledImage> Images, double Score);
}
