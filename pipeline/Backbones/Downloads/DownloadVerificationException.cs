namespace Pipeline.Backbones.Downloads;

/// <summary>
/// The bytes served at a URL are not the pinned ones: a corrupted transfer, a file replaced upstream, or a wrong pin.
/// The downloaded bytes have been deleted. It is never retried silently, because only a person can tell which of the
/// three happened.
/// </summary>
public sealed class DownloadVerificationException(Uri url, string expectedSha256, string actualSha256, long bytes)
    : PipelineException(
        $"The file downloaded from {url} ({bytes} bytes) has SHA-256 {actualSha256}, but {expectedSha256} is pinned. " +
        "The download was deleted. If the publisher replaced the file on purpose, check where the new one comes " +
        "from before pinning its checksum.")
{
    public Uri Url { get; } = url;
    public string ExpectedSha256 { get; } = expectedSha256;
    public string ActualSha256 { get; } = actualSha256;
    public long Bytes { get; } = bytes;
}
