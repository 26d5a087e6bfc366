namespace Pipeline.Storage;

/// <summary>A <see cref="FileGate"/> lock could not be taken within its wait; the message says which and for how long.</summary>
public sealed class FileGateTimeoutException(string message, Exception? inner = null) : IOException(message, inner);
