using Pipeline.Images;

namespace Pipeline.Datasets;

/// <summary>Knobs of <see cref="LabelledFolderScanner"/>.</summary>
public sealed record ScanOptions
{
    /// <summary>Limits every file is checked against. Default <see cref="ImageLimits.Default"/>.</summary>
    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    /// <summary>Files read and decoded at once. Default: one per core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Side of the square every file is fully decoded and resized to, to prove it decodes. Small keeps the scan
    /// cheap; the full decode is what matters. Default 32.
    /// </summary>
    public int ValidationSide { get; init; } = 32;

    /// <summary>Throws, naming the property, when an option is out of range: a configuration bug.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Limits, nameof(Limits));
        Limits.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ValidationSide, nameof(ValidationSide));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ValidationSide, ImageLoadOptions.MaxTargetSide, nameof(ValidationSide));
    }
}
