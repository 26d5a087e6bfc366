using System.Text.Json;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Typed, defaulted reads of a layer's Keras config, whose errors name the layer: a bad model file should say which
/// layer is wrong, not throw a bare KeyNotFoundException.
/// </summary>
internal sealed class KerasLayerConfig(TfjsLayer layer)
{
    public TfjsLayer Layer { get; } = layer;

    public string String(string key, string fallback) =>
        Find(key) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : fallback;

    public bool Bool(string key, bool fallback) => Find(key) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        null => fallback,
        _ => throw Invalid(key, "must be true or false"),
    };

    public int Int(string key, int fallback) => Find(key) switch
    {
        { ValueKind: JsonValueKind.Number } value => value.GetInt32(),
        null => fallback,
        _ => throw Invalid(key, "must be an integer"),
    };

    public double Double(string key, double fallback) => NullableDouble(key) ?? fallback;

    public double? NullableDouble(string key) => Find(key) switch
    {
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        null => null,
        _ => throw Invalid(key, "must be a number or null"),
    };

    /// <summary>Reads a Keras 2-tuple such as kernel_size, which may also be written as a single integer.</summary>
    public (int Height, int Width) Pair(string key, (int, int)? fallback = null)
    {
        switch (Find(key))
        {
            case { ValueKind: JsonValueKind.Number } single:
                return (single.GetInt32(), single.GetInt32());
            case { ValueKind: JsonValueKind.Array } pair when pair.GetArrayLength() == 2:
                return (pair[0].GetInt32(), pair[1].GetInt32());
            case null when fallback is { } value:
                return value;
            case null:
                throw Invalid(key, "is required");
            default:
                throw Invalid(key, "must be an integer or a list of two integers");
        }
    }

    public JsonElement? Find(string key) =>
        Layer.Config.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>Every layer here is lowered to NCHW on the assumption that Keras saw NHWC.</summary>
    public void RequireChannelsLast()
    {
        var format = String("data_format", "channels_last");
        if (format != "channels_last")
        {
            throw new NotSupportedException(
                $"Layer '{Layer.Name}' ({Layer.ClassName}) uses data_format '{format}'; only channels_last is supported.");
        }
    }

    /// <summary>The window of a conv or pooling layer along one spatial axis, under the layer's padding mode.</summary>
    public PaddedExtent Window(int input, int kernel, int stride, int dilation = 1)
    {
        var padding = String("padding", "valid");
        try
        {
            return SpatialPadding.For(padding, input, kernel, stride, dilation);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new NotSupportedException($"Layer '{Layer.Name}' ({Layer.ClassName}): {e.Message}", e);
        }
    }

    public FeatureMap SingleInput(IReadOnlyList<FeatureMap> inputs) => inputs.Count == 1
        ? inputs[0]
        : throw new InvalidDataException(
            $"Layer '{Layer.Name}' ({Layer.ClassName}) takes one input but is connected to {inputs.Count}.");

    public InvalidDataException Invalid(string key, string why) =>
        new($"Layer '{Layer.Name}' ({Layer.ClassName}): config '{key}' {why}.");
}
