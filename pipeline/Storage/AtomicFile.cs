using System.Security.Cryptography;

namespace Pipeline.Storage;

/// <summary>Writes that are either complete or absent: a temporary file renamed into place.</summary>
public static class AtomicFile
{
    public static async Task WriteAllTextAsync(string path, string contents, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(contents.AsMemory(), ct);
                await writer.FlushAsync(ct);
                // Flush to disk before the rename, or a power cut could publish an empty file under the final name.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A full disk or a cancellation: the half-written file goes (a kill leaves it to LeftoverTempFiles). On a
            // file system turned read-only it cannot; the first error is the one to report.
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    public static async Task<string> Sha256Async(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
