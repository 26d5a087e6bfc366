using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Datasets;

namespace Pipeline.Training;

/// <summary>
/// Which cross-validation fold each training image belongs to, by content: stratified per label, seeded, and the same
/// for the same images and seed in any order (the CLI reads a folder, the service a dataset version: they agree).
/// </summary>
/// <remarks>
/// Exact duplicates (same SHA-256) are one content and so one fold: a copy can never sit on both sides of a fold.
/// Within a label, contents are ordered by a seeded hash and dealt round-robin, continuing the deal across labels, so
/// every fold gets each label's images in turn and folds differ in size by at most one image.
/// </remarks>
public sealed class FoldAssignment
{
    private readonly IReadOnlyDictionary<string, int> _foldOf;

    private FoldAssignment(IReadOnlyDictionary<string, int> foldOf, int folds)
    {
        _foldOf = foldOf;
        Folds = folds;
    }

    /// <summary>Folds actually used: the requested k, or fewer when there are fewer distinct images.</summary>
    public int Folds { get; }

    /// <summary>The fold of an image's content.</summary>
    /// <exception cref="KeyNotFoundException">The content is not in the assigned images.</exception>
    public int FoldOf(string sha256) => _foldOf[sha256];

    public static FoldAssignment Assign(IReadOnlyList<LabelledImage> train, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2, nameof(folds));
        var contents = train.DistinctBy(i => i.Sha256).ToList();
        var k = Math.Max(1, Math.Min(folds, contents.Count));
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var dealt = 0;
        foreach (var label in contents.GroupBy(i => i.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var image in label.OrderBy(i => Score(seed, i.Sha256)).ThenBy(i => i.Sha256, StringComparer.Ordinal))
                foldOf[image.Sha256] = dealt++ % k;
        }

        return new FoldAssignment(foldOf, k);
    }

    // Salted differently from the split's hash, so the fold order is not the split's order again.
    private static ulong Score(int seed, string sha256)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("fold:" + seed.ToString(CultureInfo.InvariantCulture) + ":" + sha256), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
