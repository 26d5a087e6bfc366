using System.ComponentModel.DataAnnotations;

namespace Pipeline.Service.Predict;

/// <summary>Limits of <c>POST /api/predict</c> (configuration section <c>Pipeline:Predict</c>).</summary>
public sealed class PredictOptions
{
    public const string Section = "Pipeline:Predict";

    /// <summary>Largest accepted image body; larger requests get 413.</summary>
    [Range(1024, 1L << 31)]
    public long MaxImageBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Labels listed when the request gives no <c>?top=</c>.</summary>
    [Range(1, 100)]
    public int DefaultTop { get; set; } = 3;
}
