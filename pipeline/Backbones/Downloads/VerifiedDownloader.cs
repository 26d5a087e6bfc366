using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Pipeline.Progress;

namespace Pipeline.Backbones.Downloads;

/// <summary>
/// Fetches a file by URL and puts it in place only once its SHA-256 matches the pinned one. Bytes collect in
/// <c>&lt;destination&gt;.partial</c>; a broken connection or a cancellation leaves that file, and the next call
/// resumes it with an HTTP range request. A destination that already verifies is returned without any request.
/// </summary>
/// <remarks>
/// <para>
/// Holds no state of its own, so one instance can serve every caller. Two downloads to the same destination at once
/// do not interleave: the second fails at once with an <see cref="IOException"/> because the first holds the
/// <c>.partial</c> file exclusively.
/// </para>
/// <para>
/// The injected client's <see cref="HttpClient.Timeout"/> bounds only the wait for response headers (the body is
/// streamed), so a slow body is bounded by the caller's token alone.
/// </para>
/// </remarks>
public sealed class VerifiedDownloader(HttpClient http)
{
    public const string PartialSuffix = ".partial";
    public const string ProgressStage = "download";

    // Large enough for few system calls, small enough to stay out of the large object heap.
    private const int ChunkSize = 81920;

    /// <summary>Downloads <paramref name="request"/> unless its destination already verifies.</summary>
    /// <returns>The full path of the verified file.</returns>
    /// <exception cref="DownloadVerificationException">The file has another SHA-256; it was deleted.</exception>
    /// <exception cref="HttpRequestException">
    /// The server refused (the message names the URL and status), or the connection broke mid-body (the
    /// <c>.partial</c> file is kept for the next call to resume).
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled; the <c>.partial</c> file is kept.</exception>
    public async Task<string> DownloadAsync(
        DownloadRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        Validate(request);
        var destination = Path.GetFullPath(request.DestinationPath);
        var expectedSha256 = request.Sha256.ToLowerInvariant();
        var fileName = Path.GetFileName(destination);
        var report = new Action<long, long>((done, total) =>
            progress?.Report(new ProgressUpdate(ProgressStage, fileName, done, total)));

        if (File.Exists(destination))
        {
            var (cachedSha256, cachedBytes) = await HashFileAsync(destination, ct);
            if (cachedSha256 == expectedSha256)
            {
                report(cachedBytes, cachedBytes);
                return destination;
            }
            // Stale or damaged: it stays until a verified file is renamed over it, so it is never missing meanwhile.
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partialPath = destination + PartialSuffix;
        string actualSha256;
        long bytes;
        // Opened outside the try: when another download holds the file, its bytes are not ours to clean up.
        var partial = PartialDownloadFile.Open(partialPath);
        try
        {
            await using (partial)
            {
                await FillAsync(request, partial, report, ct);
                actualSha256 = partial.Seal();
                bytes = partial.Length;
            }
        }
        catch
        {
            // An attempt that got no bytes (a 404, say) leaves nothing behind; one that got some keeps them to resume.
            if (new FileInfo(partialPath) is { Exists: true, Length: 0 })
                File.Delete(partialPath);
            throw;
        }

        if (actualSha256 != expectedSha256)
        {
            // Resuming bad bytes can never verify, so they go; the next call starts from zero.
            File.Delete(partialPath);
            throw new DownloadVerificationException(request.Url, expectedSha256, actualSha256, bytes);
        }

        File.Move(partialPath, destination, overwrite: true);
        report(bytes, bytes);
        return destination;
    }

    /// <summary>Brings the partial file to the whole remote file, resuming where an earlier attempt stopped.</summary>
    private async Task FillAsync(
        DownloadRequest request, PartialDownloadFile partial, Action<long, long> report, CancellationToken ct)
    {
        if (request.ExpectedBytes is { } expected && partial.Length >= expected)
        {
            if (partial.Length == expected)
            {
                // An earlier run got every byte but stopped before the rename: verify without asking the server.
                await partial.HashExistingAsync(ct);
                return;
            }
            partial.Restart(); // Longer than the file, so it cannot be a prefix of it.
        }

        var offset = partial.Length;
        using var message = new HttpRequestMessage(HttpMethod.Get, request.Url);
        if (offset > 0)
            message.Headers.Range = new RangeHeaderValue(offset, null);
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);

        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when offset > 0:
                if (response.Content.Headers.ContentRange?.From is { } from && from != offset)
                {
                    partial.Restart();
                    throw new HttpRequestException(HttpRequestError.InvalidResponse,
                        $"Downloading {request.Url}: asked for bytes from {offset} on, the server sent bytes from " +
                        $"{from} on. The partial download was discarded; the next attempt starts from zero.",
                        statusCode: response.StatusCode);
                }
                await partial.HashExistingAsync(ct);
                break;

            case HttpStatusCode.RequestedRangeNotSatisfiable when offset > 0:
                // Nothing lies beyond what we hold, so what we hold should be the whole file; verification decides.
                await partial.HashExistingAsync(ct);
                return;

            case HttpStatusCode.OK:
                // The body is the whole file, whether or not a range was asked for.
                partial.Restart();
                break;

            default:
                var reason = response.ReasonPhrase ?? response.StatusCode.ToString();
                throw new HttpRequestException(HttpRequestError.Unknown,
                    $"Downloading {request.Url} failed: HTTP {(int)response.StatusCode} {reason}.",
                    statusCode: response.StatusCode);
        }

        var total = request.ExpectedBytes
                    ?? response.Content.Headers.ContentRange?.Length
                    ?? (response.Content.Headers.ContentLength + partial.Length)
                    ?? 0;
        report(partial.Length, total);
        await CopyBodyAsync(request, response, partial, total, report, ct);
    }

    private static async Task CopyBodyAsync(DownloadRequest request, HttpResponseMessage response,
        PartialDownloadFile partial, long total, Action<long, long> report, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, ChunkSize), ct);
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
                {
                    throw Interrupted(request, partial.Length, total, e);
                }

                if (read == 0) break;
                await partial.AppendAsync(buffer.AsMemory(0, read), ct);
                report(partial.Length, total);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // A body without Content-Length that simply stops looks finished; the known size says otherwise.
        if (request.ExpectedBytes is { } expected && partial.Length < expected)
            throw Interrupted(request, partial.Length, expected, null);
    }

    private static HttpRequestException Interrupted(DownloadRequest request, long done, long total, Exception? cause) =>
        new((cause as HttpIOException)?.HttpRequestError ?? HttpRequestError.ResponseEnded,
            $"The download of {request.Url} stopped after {done}{(total > 0 ? $" of {total}" : "")} bytes" +
            (cause is null ? "." : $": {cause.Message}") +
            " The partial file is kept; downloading again resumes from there.",
            cause);

    private static async Task<(string Sha256, long Bytes)> HashFileAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(file, ct);
        return (Convert.ToHexStringLower(hash), file.Length);
    }

    private static void Validate(DownloadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Url is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
            throw new ArgumentException(
                $"Url must be an absolute http or https address, not '{request.Url}'.", nameof(request));
        if (request.Sha256 is not { Length: 64 } sha256 || !sha256.All(char.IsAsciiHexDigit))
            throw new ArgumentException(
                $"Sha256 must be 64 hexadecimal digits, not '{request.Sha256}'.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.DestinationPath))
            throw new ArgumentException("DestinationPath must name a file.", nameof(request));
        if (request.ExpectedBytes is < 0)
            throw new ArgumentException(
                $"ExpectedBytes must not be negative, not {request.ExpectedBytes}.", nameof(request));
    }
}
