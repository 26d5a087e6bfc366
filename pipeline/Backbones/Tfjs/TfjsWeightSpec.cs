namespace Pipeline.Backbones.Tfjs;

/// <summary>One entry of a weights manifest group: where a weight's bytes are and how to turn them into floats.</summary>
/// <param name="Quantization">Null when the bytes are plain little-endian values of <paramref name="Dtype"/>.</param>
internal sealed record TfjsWeightSpec(string Name, IReadOnlyList<int> Shape, string Dtype, TfjsQuantization? Quantization)
{
    public int ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Shape)
            {
                count *= dim;
            }

            return checked((int)count);
        }
    }
}
