using System.Security.Cryptography;

namespace Pipeline.Backbones.Downloads;

/// <summary>
/// The <c>.partial</c> file of one download, opened exclusively, with the running SHA-256 of its contents so that
/// verifying the finished file needs no second pass over it.
/// </summary>
internal sealed class PartialDownloadFile : IAsyncDisposable
{
    private const int ReadBufferSize = 81920;

    private readonly FileStream _file;
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private PartialDownloadFile(FileStream file)
    {
        _file = file;
        Length = file.Length;
        _file.Position = Length;
    }

    /// <summary>Bytes in the file; the hash covers all of them once <see cref="HashExistingAsync"/> ran.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Opens or creates the file. FileShare.None makes a second download of the same file fail at once with an
    /// IOException instead of interleaving bytes with the first.
    /// </summary>
    public static PartialDownloadFile Open(string path) => new(new FileStream(path, new FileStreamOptions
    {
        Mode = FileMode.OpenOrCreate,
        Access = FileAccess.ReadWrite,
        Share = FileShare.None,
        Options = FileOptions.Asynchronous,
        // The caller writes in large chunks already; a FileStream buffer on top would only copy them again.
        BufferSize = 0,
    }));

    /// <summary>Feeds the bytes an earlier attempt left into the hash, before new ones are appended.</summary>
    public async Task HashExistingAsync(CancellationToken ct)
    {
        _file.Position = 0;
        var buffer = new byte[ReadBufferSize];
        int read;
        while ((read = await _file.ReadAsync(buffer, ct)) > 0)
            _hash.AppendData(buffer, 0, read);
        Length = _file.Position;
    }

    /// <summary>Throws away everything written so far, for a server that answers with the whole file.</summary>
    public void Restart()
    {
        _file.SetLength(0);
        _file.Position = 0;
        Length = 0;
        _hash.Dispose();
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _file.WriteAsync(bytes, ct);
        _hash.AppendData(bytes.Span);
        Length += bytes.Length;
    }

    /// <summary>
    /// Forces the bytes to disk and returns their SHA-256 as lower-case hex. Flushing before the rename is what makes
    /// the rename safe: without it a crash could leave a destination file whose data never reached the disk.
    /// </summary>
    public string Seal()
    {
        _file.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(_hash.GetCurrentHash());
    }

    public async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await _file.DisposeAsync();
    }
}
