using System.Net.Sockets;
using System.Text;

namespace Pipeline.Tests.Service.Hardening;

/// <summary>
/// A request written by hand on a loopback socket, for what HttpClient will not send: a body shorter than its
/// Content-Length left open, a body trickled in slowly.
/// </summary>
internal sealed class RawHttp : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;

    public static async Task<RawHttp> ConnectAsync(Uri baseAddress)
    {
        var raw = new RawHttp();
        await raw._client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        raw._stream = raw._client.GetStream();
        return raw;
    }

    /// <summary>Sends the request line and headers (Host and the given ones), then <paramref name="body"/>, nothing more.</summary>
    public async Task SendHeadAsync(Uri baseAddress, string method, string path, IEnumerable<string> headers, byte[]? body = null)
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (body is not null) await _stream.WriteAsync(body);
        await _stream.FlushAsync();
    }

    public async Task SendAsync(byte[] bytes, CancellationToken ct)
    {
        await _stream.WriteAsync(bytes, ct);
        await _stream.FlushAsync(ct);
    }

    /// <summary>Reads the response's status code, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<(int Status, string Text)> ReadResponseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            while (!received.ToString().Contains("\r\n\r\n"))
            {
                int read = await _stream.ReadAsync(buffer, cts.Token);
                if (read == 0) break;
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            // A little of the body, for the failure message and the problem's title.
            if (_stream.DataAvailable)
            {
                int read = await _stream.ReadAsync(buffer, cts.Token);
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            return (0, $"no response within {timeout}: {received}");
        }
        catch (IOException e)
        {
            if (received.Length == 0) return (0, $"connection closed without a response: {e.Message}");
        }

        string text = received.ToString();
        var parts = text.Split(' ', 3);
        return (parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : 0, text);
    }

    public void Dispose() => _client.Dispose();
}
