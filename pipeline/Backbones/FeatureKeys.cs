using System.Security.Cryptography;
using System.Text;
using Pipeline.Images;

namespace Pipeline.Backbones;

/// <summary>Derives the cache key of a backbone's features.</summary>
internal static class FeatureKeys
{
    // The preprocessing (flatten onto white, stretch-resize) is part of the key so that changing it can never
    // serve stale vectors from the cache. Bump the version when ImageLoader's output changes.
    private const string PreprocessingVersion = "rgb-white-v1";

    // The trimming modes changed again on their own: a JPEG or WEBP whose content is small in its frame is decoded a
    // second time at the content's scale (ContentDecodeSize), so their vectors are not the earlier ones. The other modes
    // keep their key, and their caches.
    private const string TrimmedPreprocessingVersion = "rgb-white-v1|content-decode-scale";

    // Reading the paper as white changed on its own: a drawing whose non-paper pixels are mostly lighter than the margin
    // (a white glyph on a coloured square, chalk on a blackboard) keeps its ground (PaperWhitening.ReadsAsInkOnPaper).
    private const string PaperPreprocessingVersion = TrimmedPreprocessingVersion + "|paper-under-darker-ink";

    public static string For(BackboneDescriptor d)
    {
        var preprocessing = d.Resize switch
        {
            ResizeMode.TrimPaperAndPad => PaperPreprocessingVersion,
            _ when d.Resize.TrimsMargin() => TrimmedPreprocessingVersion,
            _ => PreprocessingVersion,
        };
        var text = string.Join('|', d.Name, d.Sha256, d.InputSize, d.Scaling,
            string.Join(',', d.Taps.Select(t => t.Layer)), d.FeatureLength, d.Pooling, d.Resize, preprocessing);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return $"{d.Name}-{Convert.ToHexStringLower(hash)[..16]}";
    }
}
