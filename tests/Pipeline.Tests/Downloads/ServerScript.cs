namespace Pipeline.Tests.Downloads;

/// <summary>How a <see cref="LoopbackFileServer"/> misbehaves, if at all.</summary>
internal sealed record ServerScript
{
    /// <summary>Answer <c>Range: bytes=N-</c> with 206, or 416 past the end; when false, send the whole file.</summary>
    public bool HonoursRange { get; init; } = true;

    /// <summary>Answer every request with 404.</summary>
    public bool Missing { get; init; }

    /// <summary>
    /// When set, the first response sends half of its body, holds the connection until this task completes or the
    /// client goes away, then aborts it: to the client, a connection that breaks mid-body.
    /// </summary>
    public Task? BreakFirstResponseHalfwayAfter { get; init; }
}
