namespace Pipeline.Backbones.Tfjs;

/// <summary>A named weight of a TF.js layers model, already dequantised to float32.</summary>
/// <param name="Name">The manifest name, "layer/variable" (for example "Conv1/kernel").</param>
/// <param name="Shape">Dimensions in Keras order (a Conv2D kernel is [kh, kw, in, out]).</param>
/// <param name="Values">Row-major values; the length is the product of <paramref name="Shape"/>.</param>
public sealed record TfjsTensor(string Name, IReadOnlyList<int> Shape, ReadOnlyMemory<float> Values);
