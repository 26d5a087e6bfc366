namespace Pipeline.Backbones.Nsfwjs;

/// <summary>An external tool (node, npm) could not be started or exited with an error.</summary>
public sealed class ExternalToolException : Exception
{
    public ExternalToolException(string message)
        : base(message)
    {
    }

    public ExternalToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
