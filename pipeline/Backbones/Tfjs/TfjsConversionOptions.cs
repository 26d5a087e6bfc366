namespace Pipeline.Backbones.Tfjs;

/// <summary>What <see cref="TfjsToOnnxConverter"/> should extract from a TF.js layers model.</summary>
public sealed record TfjsConversionOptions
{
    /// <summary>
    /// Keras layer names whose outputs become features, in output order. At least one; each must be a feature-map
    /// layer (not part of a Flatten/Dense head).
    /// </summary>
    public required IReadOnlyList<string> Taps { get; init; }

    /// <summary>How each tap is pooled. Default: <see cref="TapPooling.Average"/>.</summary>
    public TapPooling Pooling { get; init; } = TapPooling.Average;

    /// <summary>
    /// Square input side in pixels. Default (null): the InputLayer's batch_input_shape, which must then be square.
    /// </summary>
    public int? InputSize { get; init; }
}
