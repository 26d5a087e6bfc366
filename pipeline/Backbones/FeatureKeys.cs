using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Backbones;

/// <summary>Derives the cache key of a backbone's features.</summary>
internal static class FeatureKeys
{
    // The preprocessing (flatten onto white, stretch-resize) is part of the key so that changing it can never
    // serve stale vectors from the cache. Bump the version when ImageLoader's output changes.
    private const string PreprocessingVersion = "rgb-white-v1";

    public static string For(BackboneDescriptor d)
    {
        var text = string.Join('|', d.Name, d.Sha256, d.InputSize, d.Scaling,
            string.Join(',', d.Taps.Select(t => t.Layer)), d.FeatureLength, d.Pooling, d.Resize, PreprocessingVersion);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return $"{d.Name}-{Convert.ToHexStringLower(hash)[..16]}";
    }
}
