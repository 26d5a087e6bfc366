using System.ComponentModel.DataAnnotations;

namespace Pipeline.Service.Hosting;

/// <summary>The service's configuration section <c>Pipeline</c>; validated at start-up.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Root of everything the service keeps; relative paths are resolved against the content root.</summary>
    [Required]
    public string DataRoot { get; set; } = "data";

    /// <summary>What this process does: <c>web</c>, <c>worker</c>, <c>intake</c>, comma-separated (see
    /// <see cref="ServiceRoles"/>). Default all three.</summary>
    [RegularExpression(ServiceRoles.Pattern,
        ErrorMessage = "Pipeline:Roles must list web, worker and/or intake, comma-separated (e.g. --Pipeline:Roles=web,intake).")]
    public string Roles { get; set; } = "web,worker,intake";

    /// <summary>Architectures trained on every retrain; empty means every offline architecture of the catalog.</summary>
    public string[] Architectures { get; set; } = [];

    /// <summary>A drop is taken once nothing in it has changed for this long.</summary>
    [Range(0, 3600)]
    public double DropQuietSeconds { get; set; } = 5;

    /// <summary>How much better (macro accuracy on the new test split) a challenger must be to replace the champion.</summary>
    [Range(0.0, 1.0)]
    public double PromotionMargin { get; set; } = 0.01;

    /// <summary>Cron expression of the recurring retrain; empty disables it.</summary>
    public string? RetrainCron { get; set; } = "0 3 * * *";

    /// <summary>Seed an empty data root with a sample dataset from openclipart-png and train it on first run.</summary>
    public bool SampleData { get; set; } = true;

    /// <summary>Seed of every split and trainer, so retraining the same version reproduces the same model.</summary>
    public int Seed { get; set; } = 42;

    [Range(0.05, 0.9)]
    public double TestFraction { get; set; } = 0.25;

    /// <summary>Largest accepted <c>POST /api/drops</c> body.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Prepared backbones; defaults to <c>backbones/</c> under the data root (tests share one folder).</summary>
    public string? BackbonesFolder { get; set; }

    /// <summary>The feature cache; defaults to <c>features/</c> under the data root.</summary>
    public string? FeatureCacheFolder { get; set; }

    /// <summary>
    /// Credential for the dashboard and mutating endpoints from other machines (header <c>X-Api-Key</c> or HTTP basic
    /// password). When empty, only loopback requests are allowed.
    /// </summary>
    public string? AdminKey { get; set; }
}
