using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Datasets;

namespace Pipeline.Training;

/// <summary>
/// Which cross-validation fold each training image belongs to, by content: grouped when the images carry design
/// groups (<see cref="LabelledImage.Group"/>), otherwise stratified per label; seeded, and the same for the same images
/// and seed in any order (the CLI reads a folder, the service a dataset version: they agree).
/// </summary>
/// <remarks>
/// Exact duplicates (same SHA-256) are one content and so one fold: a copy can never sit on both sides of a fold.
/// <para>
/// Stratified: within a label, contents are ordered by a seeded hash and dealt round-robin, continuing the deal across
/// labels, so every fold gets each label's images in turn and folds differ in size by at most one image.
/// </para>
/// <para>
/// Grouped: whole groups are dealt to folds (largest first, each to the fold with the fewest images), so a validation
/// fold holds only designs its training part never saw. Folds within one design reward fitting that design closely;
/// on the held-out proxies of docs/BACKBONES.md they ranked the candidates differently from unseen designs.
/// Groups are used only when every image has one, there are at least two, and no fold would leave a label out of its
/// training part; otherwise the folds are stratified and <see cref="Scheme"/> says why.
/// </para>
/// </remarks>
public sealed class FoldAssignment
{
    private readonly IReadOnlyDictionary<string, int> _foldOf;

    private FoldAssignment(IReadOnlyDictionary<string, int> foldOf, int folds, FoldScheme scheme)
    {
        _foldOf = foldOf;
        Folds = folds;
        Scheme = scheme;
    }

    /// <summary>Folds actually used: the requested k, or fewer when there are fewer distinct images (or groups).</summary>
    public int Folds { get; }

    /// <summary>Grouped or stratified, and why.</summary>
    public FoldScheme Scheme { get; }

    /// <summary>The fold of an image's content.</summary>
    /// <exception cref="KeyNotFoundException">The content is not in the assigned images.</exception>
    public int FoldOf(string sha256) => _foldOf[sha256];

    /// <param name="useGroups">Fold by group when the images carry usable groups; false always stratifies.</param>
    public static FoldAssignment Assign(IReadOnlyList<LabelledImage> train, int folds, int seed, bool useGroups = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2, nameof(folds));
        var contents = train.DistinctBy(i => i.Sha256).ToList();
        var groups = contents.Where(i => i.Group is not null).Select(i => i.Group!).Distinct(StringComparer.Ordinal).Count();

        string reason;
        if (!useGroups)
            reason = groups > 0 ? "grouped folds are turned off" : "no groups known";
        else if (groups == 0)
            reason = "no groups known";
        else if (contents.Any(i => i.Group is null))
            reason = $"{contents.Count(i => i.Group is null)} image(s) have no group";
        else if (groups < 2)
            reason = "all images are in one group";
        else if (TryGrouped(contents, folds, seed, groups, out var grouped, out reason))
            return grouped;

        return Stratified(contents, folds, seed, new FoldScheme(FoldScheme.Stratified, groups, reason));
    }

    private static FoldAssignment Stratified(List<LabelledImage> contents, int folds, int seed, FoldScheme scheme)
    {
        var k = Math.Max(1, Math.Min(folds, contents.Count));
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var dealt = 0;
        foreach (var label in contents.GroupBy(i => i.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var image in label.OrderBy(i => Score(seed, i.Sha256)).ThenBy(i => i.Sha256, StringComparer.Ordinal))
                foldOf[image.Sha256] = dealt++ % k;
        }

        return new FoldAssignment(foldOf, k, scheme);
    }

    private static bool TryGrouped(List<LabelledImage> contents, int folds, int seed, int groupCount,
        out FoldAssignment assignment, out string reason)
    {
        var k = Math.Min(folds, groupCount);
        var sizes = new int[k];
        var foldOfGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        // Largest group first, each to the currently smallest fold: folds as even as whole groups allow. Ties between
        // equal groups are broken by a seeded hash of the name, so the seed varies the folds as it does when stratified.
        foreach (var group in contents.GroupBy(i => i.Group!, StringComparer.Ordinal)
                     .OrderByDescending(g => g.Count()).ThenBy(g => Score(seed, g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var smallest = Array.IndexOf(sizes, sizes.Min());
            foldOfGroup[group.Key] = smallest;
            sizes[smallest] += group.Count();
        }

        // A label whose images all sit in one fold would be missing from that fold's training part: every one of its
        // validation images would count as wrong whatever the candidate, which measures nothing.
        var confined = contents.GroupBy(i => i.Label).OrderBy(g => g.Key, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Select(i => foldOfGroup[i.Group!]).Distinct().Count() < 2);
        if (confined is not null)
        {
            assignment = null!;
            reason = $"label '{confined.Key}' is in only one fold of {groupCount} groups, so that fold could not train on it";
            return false;
        }

        var foldOf = contents.ToDictionary(i => i.Sha256, i => foldOfGroup[i.Group!], StringComparer.Ordinal);
        reason = $"{groupCount} groups in {k} folds";
        assignment = new FoldAssignment(foldOf, k, new FoldScheme(FoldScheme.Grouped, groupCount, reason));
        return true;
    }

    // Salted differently from the split's hash, so the fold order is not the split's order again.
    private static ulong Score(int seed, string key)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("fold:" + seed.ToString(CultureInfo.InvariantCulture) + ":" + key), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
