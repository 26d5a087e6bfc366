namespace Pipeline;

/// <summary>
/// An expected failure a user can act on (a missing folder, too few labels, an unknown architecture). Hosts print its
/// message as one line (CLI) or return it as problem details (HTTP) instead of a stack trace.
/// </summary>
public class PipelineException(string message, Exception? inner = null) : Exception(message, inner);
