namespace Pipeline.Datasets.Intake;

/// <summary>
/// Bounds on what a dropped <c>.zip</c> may expand to. They are checked against the bytes actually decompressed, not
/// the sizes the archive's headers claim, because a zip bomb lies in its headers.
/// </summary>
public sealed record ArchiveLimits
{
    /// <summary>Most entries (files and folders) an archive may hold. Default 10 000.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Most bytes all entries together may decompress to. Default 2 GiB.</summary>
    public long MaxTotalBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Most bytes one entry may decompress to; a larger entry is skipped with a reason. Default 64 MiB.</summary>
    public long MaxEntryBytes { get; init; } = 64L * 1024 * 1024;

    public static ArchiveLimits Default { get; } = new();

    /// <summary>Throws, naming the property, when a limit is not positive: a configuration bug.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntries, nameof(MaxEntries));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTotalBytes, nameof(MaxTotalBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntryBytes, nameof(MaxEntryBytes));
    }
}
