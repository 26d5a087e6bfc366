using System.Runtime.InteropServices;
using Pipeline.Storage;

namespace Pipeline.Features;

/// <summary>
/// Feature vectors on disk, one small file per (feature key, image SHA-256). The feature key covers the backbone's
/// weights, taps and preprocessing, so a retrain after new images only featurises the new ones, and any change to
/// the backbone or preprocessing starts a fresh, separate cache.
/// </summary>
public sealed class FeatureCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public bool TryRead(string featureKey, string sha256, int length, out float[] features)
    {
        var path = PathFor(featureKey, sha256);
        features = [];
        if (!File.Exists(path)) return false;
        var bytes = File.ReadAllBytes(path);
        // A vector of the wrong length can only come from a torn write or a foreign file: treat it as a miss.
        if (bytes.Length != length * sizeof(float)) return false;
        features = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        return true;
    }

    public void Write(string featureKey, string sha256, ReadOnlySpan<float> features)
    {
        var path = PathFor(featureKey, sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = AtomicFile.TempPathFor(path);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            stream.Write(MemoryMarshal.AsBytes(features));
        File.Move(temp, path, overwrite: true);
    }

    private string PathFor(string featureKey, string sha256) =>
        Path.Combine(Root, featureKey, sha256[..2], sha256 + ".f32");
}
