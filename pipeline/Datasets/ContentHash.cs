using System.Security.Cryptography;

namespace Pipeline.Datasets;

/// <summary>
/// SHA-256 of content as lowercase hex: the identity of an image across folders, renames and retraining runs
/// (duplicates, the train/test split and the feature cache all key on it).
/// </summary>
public static class ContentHash
{
    public static string Sha256Hex(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static async Task<string> Sha256HexAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<string> Sha256HexOfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await Sha256HexAsync(file, cancellationToken).ConfigureAwait(false);
    }
}
