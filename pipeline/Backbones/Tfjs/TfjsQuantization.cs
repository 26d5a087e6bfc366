namespace Pipeline.Backbones.Tfjs;

/// <summary>
/// TF.js weight quantisation: "uint8"/"uint16" are affine (value = q * Scale + Min), "float16" stores halves.
/// </summary>
internal sealed record TfjsQuantization(string Dtype, double? Min, double? Scale);
