using System.ComponentModel.DataAnnotations;
using Pipeline.Samples;

namespace Pipeline.Service.Drops;

/// <summary>
/// Drop intake settings beyond <c>Pipeline:DropQuietSeconds</c> and <c>Pipeline:MaxUploadBytes</c>
/// (configuration section <c>Pipeline:Drops</c>).
/// </summary>
public sealed class DropsOptions
{
    public const string Section = "Pipeline:Drops";

    /// <summary>
    /// How often the watched folder is scanned even without file-system events (watchers miss events, e.g. on
    /// network shares or when their buffer overflows).
    /// </summary>
    [Range(0.1, 3600)]
    public double RescanSeconds { get; set; } = 10;

    /// <summary>Most entries a dropped <c>.zip</c> may hold.</summary>
    [Range(1, 10_000_000)]
    public int MaxArchiveEntries { get; set; } = 10_000;

    /// <summary>Most bytes a dropped <c>.zip</c> may decompress to, counted while extracting.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxArchiveBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Images per category of the first-run sample drop (8 categories).</summary>
    [Range(1, 1000)]
    public int SamplePerLabel { get; set; } = 30;

    /// <summary>Where Debian's openclipart-png is installed.</summary>
    [Required]
    public string SampleSource { get; set; } = OpenclipartSample.DefaultSource;

    /// <summary>
    /// A drop whose ingestion failed on a full or read-only data root is ingested again after this many seconds, until
    /// it goes through: the drop is fine, and rejecting it would need the same storage.
    /// </summary>
    [Range(0.1, 86_400)]
    public double StorageRetrySeconds { get; set; } = 30;

    /// <summary>Most drops <c>GET /api/drops</c> lists.</summary>
    [Range(1, 10_000)]
    public int ListLimit { get; set; } = 100;
}
