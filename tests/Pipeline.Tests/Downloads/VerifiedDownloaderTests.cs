using System.Net;
using System.Security.Cryptography;
using Pipeline.Backbones.Downloads;
using Pipeline.Progress;
using Xunit;

namespace Pipeline.Tests.Downloads;

[Trait("Kind", "Unit")]
public sealed class VerifiedDownloaderTests : IDisposable
{
    // Every wait has a deadline, so a regression fails with a timeout instead of hanging the run.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Odd-sized so that halves and chunk boundaries do not line up.
    private static readonly byte[] Content = MakeContent(300_001);
    private static readonly string ContentSha256 = Convert.ToHexStringLower(SHA256.HashData(Content));

    private readonly ScratchFolder _folder = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    private string Destination => _folder.File("model.onnx");
    private string Partial => Destination + VerifiedDownloader.PartialSuffix;

    [Fact]
    public async Task First_download_verifies_the_file_and_renames_it_into_place()
    {
        await using var server = await LoopbackFileServer.StartAsync(Content);
        var updates = new List<ProgressUpdate>();

        var path = await Download(server, progress: new InlineProgress<ProgressUpdate>(updates.Add));

        Assert.Equal(Path.GetFullPath(Destination), path);
        Assert.Equal(Content, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(Partial));
        Assert.Equal([new ServedRequest(null, 200)], server.Requests);
        Assert.All(updates, u => Assert.Equal(VerifiedDownloader.ProgressStage, u.Stage));
        Assert.Equal(new ProgressUpdate("download", "model.onnx", Content.Length, Content.Length), updates[^1]);
    }

    [Fact]
    public async Task Second_call_for_a_verified_file_makes_no_request()
    {
        await using var server = await LoopbackFileServer.StartAsync(Content);
        await Download(server);

        var path = await Download(server);

        Assert.Single(server.Requests);
        Assert.Equal(Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Connection_dropped_mid_body_leaves_a_partial_that_the_next_call_resumes_with_a_range_request()
    {
        var clientHasHalf = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackFileServer.StartAsync(Content,
            new ServerScript { BreakFirstResponseHalfwayAfter = clientHasHalf.Task });
        var half = server.HalfwayBytes;
        var signalAtHalf = OnceBytesReach(half, () => clientHasHalf.TrySetResult());

        var broken = await Assert.ThrowsAsync<HttpRequestException>(() => Download(server, progress: signalAtHalf));

        Assert.Contains(server.FileUrl.ToString(), broken.Message);
        Assert.Equal(half, new FileInfo(Partial).Length);
        Assert.False(File.Exists(Destination));

        var path = await Download(server);

        Assert.Equal([new ServedRequest(null, 200), new ServedRequest($"bytes={half}-", 206)], server.Requests);
        Assert.Equal(Content, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(Partial));
    }

    [Fact]
    public async Task Server_that_ignores_range_requests_still_yields_the_exact_bytes()
    {
        var clientHasHalf = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackFileServer.StartAsync(Content,
            new ServerScript { HonoursRange = false, BreakFirstResponseHalfwayAfter = clientHasHalf.Task });
        var half = server.HalfwayBytes;
        var signalAtHalf = OnceBytesReach(half, () => clientHasHalf.TrySetResult());
        await Assert.ThrowsAsync<HttpRequestException>(() => Download(server, progress: signalAtHalf));

        var path = await Download(server);

        Assert.Equal([new ServedRequest(null, 200), new ServedRequest($"bytes={half}-", 200)], server.Requests);
        Assert.Equal(Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Partial_that_already_holds_the_whole_file_is_verified_when_the_server_answers_416()
    {
        await using var server = await LoopbackFileServer.StartAsync(Content);
        await File.WriteAllBytesAsync(Partial, Content);

        var path = await Download(server);

        Assert.Equal([new ServedRequest($"bytes={Content.Length}-", 416)], server.Requests);
        Assert.Equal(Content, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(Partial));
    }

    [Fact]
    public async Task Partial_of_the_expected_size_is_verified_without_a_request()
    {
        await using var server = await LoopbackFileServer.StartAsync(Content);
        await File.WriteAllBytesAsync(Partial, Content);

        var path = await Download(server, expectedBytes: Content.Length);

        Assert.Empty(server.Requests);
        Assert.Equal(Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Wrong_checksum_throws_and_leaves_neither_destination_nor_partial()
    {
        await using var server = await LoopbackFileServer.StartAsync(Content);
        var pinned = new string('0', 64);

        var mismatch = await Assert.ThrowsAsync<DownloadVerificationException>(() => Download(server, sha256: pinned));

        Assert.Equal(pinned, mismatch.ExpectedSha256);
        Assert.Equal(ContentSha256, mismatch.ActualSha256);
        Assert.Equal(server.FileUrl, mismatch.Url);
        Assert.Contains(server.FileUrl.ToString(), mismatch.Message);
        Assert.False(File.Exists(Destination));
        Assert.False(File.Exists(Partial));
    }

    [Fact]
    public async Task Missing_file_fails_with_a_message_naming_the_url_and_the_status()
    {
        await using var server = await LoopbackFileServer.StartAsync(Content, new ServerScript { Missing = true });

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Download(server));

        Assert.Equal(HttpStatusCode.NotFound, failure.StatusCode);
        Assert.Contains(server.FileUrl.ToString(), failure.Message);
        Assert.Contains("404", failure.Message);
        Assert.False(File.Exists(Destination));
        Assert.False(File.Exists(Partial));
    }

    [Fact]
    public async Task Cancelling_mid_download_keeps_the_partial_for_a_later_resume()
    {
        // The server holds the first response after half its body; only the client's cancellation ends it.
        var neverReleased = new TaskCompletionSource();
        await using var server = await LoopbackFileServer.StartAsync(Content,
            new ServerScript { BreakFirstResponseHalfwayAfter = neverReleased.Task });
        var half = server.HalfwayBytes;
        using var cancellation = new CancellationTokenSource();
        var cancelAtHalf = OnceBytesReach(half, cancellation.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Download(server, progress: cancelAtHalf, ct: cancellation.Token));

        Assert.Equal(half, new FileInfo(Partial).Length);
        Assert.False(File.Exists(Destination));

        var path = await Download(server);

        Assert.Equal($"bytes={half}-", server.Requests[^1].Range);
        Assert.Equal(Content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Download_fails_fast_while_another_one_holds_the_partial_and_leaves_it_alone()
    {
        await using var server = await LoopbackFileServer.StartAsync(Content);
        // Another download that has just begun: the partial file is open and still empty.
        await using (new FileStream(Partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await Assert.ThrowsAsync<IOException>(() => Download(server));

            Assert.True(File.Exists(Partial));
            Assert.Empty(server.Requests);
        }
    }

    private Task<string> Download(LoopbackFileServer server, string? sha256 = null, long? expectedBytes = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default) =>
        new VerifiedDownloader(_http)
            .DownloadAsync(new DownloadRequest(server.FileUrl, sha256 ?? ContentSha256, Destination, expectedBytes),
                progress, ct)
            // Not ct: a cancelled download must be awaited to its end, when it has closed the partial file; returning at
            // the cancellation would let the next download find the file still open.
            .WaitAsync(Deadline, CancellationToken.None);

    /// <summary>Progress that acts on the downloading thread whenever at least <paramref name="bytes"/> are on disk.</summary>
    private static InlineProgress<ProgressUpdate> OnceBytesReach(long bytes, Action act) =>
        new(update =>
        {
            if (update.Done >= bytes) act();
        });

    private static byte[] MakeContent(int length)
    {
        var bytes = new byte[length];
        new Random(20240601).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }
}
