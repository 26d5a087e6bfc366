namespace Pipeline.Features;

/// <summary>An image that cannot be used (undecodable, too large, ...); the message says why.</summary>
public sealed class ImageRejectedException(string message) : PipelineException(message);
