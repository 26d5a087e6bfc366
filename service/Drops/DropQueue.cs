using System.Threading.Channels;

namespace Pipeline.Service.Drops;

/// <summary>Received drops waiting to be ingested, by id; one reader ingests them one at a time.</summary>
public sealed class DropQueue
{
    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string id) => _ids.Writer.TryWrite(id);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken ct) => _ids.Reader.ReadAllAsync(ct);
}
