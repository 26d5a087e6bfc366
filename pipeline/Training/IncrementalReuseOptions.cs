namespace Pipeline.Training;

/// <summary>
/// When a retrain may keep the previous fit's choice instead of cross-validating again (<see cref="IncrementalReuse"/>).
/// </summary>
public sealed record IncrementalReuseOptions
{
    /// <summary>Off: every retrain runs the full L2 search (the CLI's <c>--full-search</c>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The largest share of the train part that may be new since the choice was last cross-validated for it to stand.
    /// 0.10: a drop of a few per cent keeps the L2 (on the L2 grid's coarse steps a tenth more images rarely moves the
    /// optimum); a larger one, or many small ones adding up past this, runs the full search again.
    /// </summary>
    public double MaxNewFraction { get; init; } = 0.10;

    public static IncrementalReuseOptions Default { get; } = new();

    /// <summary>Throws, naming the property, when an option is out of range: a configuration bug.</summary>
    public void Validate()
    {
        if (!(MaxNewFraction is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxNewFraction), MaxNewFraction, "Must be between 0 and 1.");
    }
}
