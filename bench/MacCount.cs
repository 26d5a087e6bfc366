using Google.Protobuf;
using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.Bench;

/// <summary>
/// Multiply-accumulates of one image through an ONNX model, counted by walking its graph: shapes are propagated from
/// the input through every node, and Conv, Gemm and MatMul contribute output elements x reduction length. Depthwise
/// convolutions are counted apart because their arithmetic intensity is far below a GEMM's, which is what makes the
/// GEMM-based floor optimistic for MobileNet.
/// </summary>
public sealed record MacCount(long Total, long Depthwise, int MatrixNodes)
{
    public static MacCount Of(string onnxPath, int inputSize)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath));
        var graph = model.Graph;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var int64Values = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var init in graph.Initializer)
        {
            shapes[init.Name] = init.Dims.ToArray();
            if (init.DataType == (int)TensorProto.Types.DataType.Int64)
                int64Values[init.Name] = init.Int64Data.Count > 0
                    ? init.Int64Data.ToArray()
                    : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(init.RawData.Span).ToArray();
        }

        foreach (var input in graph.Input.Where(i => !shapes.ContainsKey(i.Name)))
            shapes[input.Name] = [1, 3, inputSize, inputSize];

        long total = 0, depthwise = 0;
        var matrixNodes = 0;
        foreach (var node in graph.Node)
        {
            long[] Shape(int i) => shapes.TryGetValue(node.Input[i], out var s)
                ? s
                : throw new InvalidDataException($"{node.OpType} node '{node.Name}' reads '{node.Input[i]}', whose shape is unknown.");

            long[] output;
            switch (node.OpType)
            {
                case "Conv":
                {
                    var x = Shape(0);
                    var w = Shape(1);
                    var group = Attr(node, "group")?.I ?? 1;
                    output = Window(node, x, w[2..], outChannels: w[0]);
                    var macs = output.Aggregate(1L, (a, b) => a * b) * w[1] * w[2] * w[3];
                    total += macs;
                    if (group > 1 && group == x[1]) depthwise += macs;
                    matrixNodes++;
                    break;
                }
                case "MaxPool" or "AveragePool":
                {
                    var x = Shape(0);
                    output = Window(node, x, Attr(node, "kernel_shape")!.Ints.ToArray(), outChannels: x[1]);
                    break;
                }
                case "GlobalAveragePool" or "GlobalMaxPool":
                    output = [Shape(0)[0], Shape(0)[1], 1, 1];
                    break;
                case "Pad":
                {
                    var x = Shape(0);
                    var pads = int64Values.TryGetValue(node.Input[1], out var p)
                        ? p
                        : throw new InvalidDataException($"Pad node '{node.Name}' has pads that are not a constant.");
                    output = x.Select((d, i) => d + pads[i] + pads[i + x.Length]).ToArray();
                    break;
                }
                case "Concat":
                {
                    var parts = node.Input.Select((_, i) => Shape(i)).ToList();
                    var axis = (int)(Attr(node, "axis")?.I ?? 0);
                    if (axis < 0) axis += parts[0].Length;
                    output = (long[])parts[0].Clone();
                    output[axis] = parts.Sum(s => s[axis]);
                    break;
                }
                case "Flatten":
                {
                    var x = Shape(0);
                    var axis = (int)(Attr(node, "axis")?.I ?? 1);
                    output = [x[..axis].Aggregate(1L, (a, b) => a * b), x[axis..].Aggregate(1L, (a, b) => a * b)];
                    break;
                }
                case "Gemm" or "MatMul":
                {
                    var a = Shape(0);
                    var b = Shape(1);
                    var transB = node.OpType == "Gemm" && (Attr(node, "transB")?.I ?? 0) == 1;
                    var (k, n) = transB ? (b[^1], b[^2]) : (b[^2], b[^1]);
                    output = [.. a[..^1], n];
                    total += a[..^1].Aggregate(1L, (x, y) => x * y) * k * n;
                    matrixNodes++;
                    break;
                }
                default:
                    // Element-wise operators (activations, BatchNormalization, Add, Where...) keep the broadcast shape,
                    // which is the largest of their inputs.
                    output = node.Input.Where(i => i.Length > 0 && shapes.ContainsKey(i)).Select(i => shapes[i])
                        .MaxBy(s => s.Aggregate(1L, (a, b) => a * b))
                        ?? throw new InvalidDataException($"{node.OpType} node '{node.Name}' has no input of known shape.");
                    break;
            }

            foreach (var name in node.Output) shapes[name] = output;
        }

        return new MacCount(total, depthwise, matrixNodes);
    }

    private static AttributeProto? Attr(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    /// <summary>NCHW output of a sliding window (Conv or pooling) with explicit pads, strides and dilations.</summary>
    private static long[] Window(NodeProto node, long[] x, long[] kernel, long outChannels)
    {
        var strides = Attr(node, "strides")?.Ints.ToArray() ?? [1, 1];
        var dilations = Attr(node, "dilations")?.Ints.ToArray() ?? [1, 1];
        var pads = Attr(node, "pads")?.Ints.ToArray() ?? [0, 0, 0, 0];
        var autoPad = Attr(node, "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        var output = new long[] { x[0], outChannels, 0, 0 };
        for (var i = 0; i < 2; i++)
        {
            output[i + 2] = autoPad is "SAME_UPPER" or "SAME_LOWER"
                ? (x[i + 2] + strides[i] - 1) / strides[i]
                : (x[i + 2] + pads[i] + pads[i + 2] - ((kernel[i] - 1) * dilations[i] + 1)) / strides[i] + 1;
        }

        return output;
    }
}
