namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Padding before and after one spatial dimension, and the size of that dimension after the window.</summary>
internal readonly record struct PaddedExtent(int Begin, int End, int Output);
