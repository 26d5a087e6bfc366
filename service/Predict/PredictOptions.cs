using System.ComponentModel.DataAnnotations;

namespace Pipeline.Service.Predict;

/// <summary>Limits of <c>POST /api/predict</c> (configuration section <c>Pipeline:Predict</c>).</summary>
public sealed class PredictOptions
{
    public const string Section = "Pipeline:Predict";

    /// <summary>Largest accepted image body; larger requests get 413.</summary>
    [Range(1024, 1L << 31)]
    public long MaxImageBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Largest width x height decoded for a prediction; larger images get 400. Lower than a drop's limit (1000 MP):
    /// a caller waits for its answer, and a gigapixel image costs seconds of CPU that other callers wait behind.
    /// </summary>
    [Range(1, 1_000_000_000)]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Labels listed when the request gives no <c>?top=</c>.</summary>
    [Range(1, 100)]
    public int DefaultTop { get; set; } = 3;

    /// <summary>
    /// Predictions worked on at once (decoding, the backbone; the body is read before a slot is taken); more wait in
    /// the queue. Decoding and the backbone use a core each, so more than the cores only lengthens every answer.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>Predictions that may wait for a slot; beyond them the answer is 503 with <c>Retry-After</c>.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 32;
}
