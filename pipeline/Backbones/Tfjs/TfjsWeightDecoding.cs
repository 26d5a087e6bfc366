using System.Buffers.Binary;

namespace Pipeline.Backbones.Tfjs;

/// <summary>Turns the bytes of one manifest weight into float32 values, the way tfjs's own loader does.</summary>
internal static class TfjsWeightDecoding
{
    public static int ByteLength(TfjsWeightSpec spec) => spec.ElementCount * BytesPerValue(spec);

    public static float[] Decode(TfjsWeightSpec spec, ReadOnlySpan<byte> bytes)
    {
        if (spec.Dtype != "float32")
        {
            throw new NotSupportedException(
                $"Weight '{spec.Name}' has dtype '{spec.Dtype}'; only float32 weights are supported.");
        }

        var count = spec.ElementCount;
        if (bytes.Length != ByteLength(spec))
        {
            throw new InvalidDataException(
                $"Weight '{spec.Name}' needs {ByteLength(spec)} bytes but {bytes.Length} were given.");
        }

        var values = new float[count];
        switch (spec.Quantization)
        {
            case null:
                for (var i = 0; i < count; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }

                break;
            case { Dtype: "uint8" } q:
                var (min8, scale8) = AffineParameters(spec, q);
                for (var i = 0; i < count; i++)
                {
                    // tfjs computes q * scale + min in double precision and stores the result as float32.
                    values[i] = (float)(bytes[i] * scale8 + min8);
                }

                break;
            case { Dtype: "uint16" } q:
                var (min16, scale16) = AffineParameters(spec, q);
                for (var i = 0; i < count; i++)
                {
                    values[i] = (float)(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) * scale16 + min16);
                }

                break;
            case { Dtype: "float16" }:
                for (var i = 0; i < count; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }

                break;
            default:
                throw UnsupportedQuantization(spec);
        }

        return values;
    }

    private static int BytesPerValue(TfjsWeightSpec spec) => spec.Quantization?.Dtype switch
    {
        null => spec.Dtype switch
        {
            "float32" or "int32" => 4,
            "bool" => 1,
            _ => throw new NotSupportedException($"Weight '{spec.Name}' has unsupported dtype '{spec.Dtype}'."),
        },
        "uint8" => 1,
        "uint16" or "float16" => 2,
        _ => throw UnsupportedQuantization(spec),
    };

    private static (double Min, double Scale) AffineParameters(TfjsWeightSpec spec, TfjsQuantization quantization) =>
        quantization is { Min: { } min, Scale: { } scale }
            ? (min, scale)
            : throw new InvalidDataException(
                $"Weight '{spec.Name}' is quantised to {quantization.Dtype} but lacks 'min' or 'scale'.");

    private static NotSupportedException UnsupportedQuantization(TfjsWeightSpec spec) =>
        new($"Weight '{spec.Name}' uses quantisation '{spec.Quantization?.Dtype}'; " +
            "supported are uint8, uint16 and float16.");
}
