namespace Pipeline.Datasets;

/// <summary>Knobs of <see cref="StratifiedSplitter"/>.</summary>
public sealed record SplitOptions
{
    /// <summary>Share of each label's images held out for testing, in (0, 1). Default 0.25.</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>Seed of the split: the same seed and images always give the same split. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Fewest distinct images a label needs to take part; labels with fewer are excluded with a reason. At least 2,
    /// since every label needs an image on each side. Default 4.
    /// </summary>
    public int MinImagesPerLabel { get; init; } = 4;

    /// <summary>Throws, naming the property, when an option is out of range: a configuration bug.</summary>
    public void Validate()
    {
        if (!(TestFraction > 0 && TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "Must be strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinImagesPerLabel, 2, nameof(MinImagesPerLabel));
    }
}
