using System.Threading.Channels;

namespace Pipeline.Service.Drops;

/// <summary>Received drops waiting to be ingested, by id; one reader ingests them one at a time.</summary>
public sealed class DropQueue
{
    // Not SingleReader: that channel's reader cannot count, and the count is the queue depth metric; one reader reads it anyway.
    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>();

    /// <summary>Drops waiting, for the queue depth metric.</summary>
    public int Count => _ids.Reader.Count;

    public void Enqueue(string id) => _ids.Writer.TryWrite(id);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken ct) => _ids.Reader.ReadAllAsync(ct);
}
