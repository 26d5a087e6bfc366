namespace Pipeline.Training;

/// <summary>Whether a view-based option is used: never, always, or when cross-validation says it scores better.</summary>
public enum ViewChoice
{
    Off,
    On,

    /// <summary>Cross-validation of each candidate compares with and without, and keeps what scores better (ties: without).</summary>
    Auto,
}
