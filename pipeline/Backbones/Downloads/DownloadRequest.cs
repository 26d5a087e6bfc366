namespace Pipeline.Backbones.Downloads;

/// <summary>A file to fetch once and trust afterwards: where it comes from, what it hashes to, where it goes.</summary>
/// <param name="Url">Absolute http or https address; redirects are followed as the injected HttpClient allows.</param>
/// <param name="Sha256">Pinned SHA-256 of the whole file: 64 hexadecimal digits, either case.</param>
/// <param name="DestinationPath">
/// Where the verified file ends up. Bytes collect in <c>&lt;DestinationPath&gt;.partial</c> until they verify.
/// </param>
/// <param name="ExpectedBytes">
/// The file's size when known. It gives progress a total before the server answers, lets a partial file that is
/// already complete be verified without a request, and tells a cleanly closed but short body from a finished one.
/// </param>
public sealed record DownloadRequest(Uri Url, string Sha256, string DestinationPath, long? ExpectedBytes = null);
