namespace Pipeline.Backbones.Tfjs;

/// <summary>Where one tapped layer's pooled values sit in the feature vector.</summary>
/// <param name="Layer">The Keras layer name that was tapped.</param>
/// <param name="Offset">Index of the tap's first value.</param>
/// <param name="Length">Number of values: the layer's channels, doubled for <see cref="TapPooling.AverageAndMax"/>.</param>
public sealed record TapSlice(string Layer, int Offset, int Length);
