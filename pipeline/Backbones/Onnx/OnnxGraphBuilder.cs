using System.Runtime.InteropServices;
using Google.Protobuf;
using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.Backbones.Onnx;

/// <summary>
/// Assembles one ONNX graph from the generated protobuf classes: unique value names, float and int64 initializers,
/// nodes, and typed float32 graph inputs and outputs. It knows nothing about Keras.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    // ONNX IR version 7 is the one that introduced opset 13; readers accept any IR at or above an opset's own.
    private const long IrVersionForOpset13 = 7;

    private readonly GraphProto graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        graph = new GraphProto { Name = graphName };
    }

    /// <summary>
    /// Returns <paramref name="stem"/> itself the first time, then stem_1, stem_2... so that every value and node
    /// name in the graph stays unique while remaining readable (stems are usually Keras layer names).
    /// </summary>
    public string UniqueName(string stem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stem);
        var name = stem;
        for (var suffix = 1; !names.Add(name); suffix++)
        {
            name = $"{stem}_{suffix}";
        }

        return name;
    }

    public string AddFloatInitializer(string stem, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        CheckElementCount(stem, dims, values.Length);
        if (!BitConverter.IsLittleEndian)
        {
            // raw_data is little-endian by definition; copying memory as is would be wrong on a big-endian host.
            throw new PlatformNotSupportedException("Writing ONNX raw tensor data requires a little-endian host.");
        }

        var tensor = new TensorProto
        {
            Name = UniqueName(stem),
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string AddInt64Initializer(string stem, IReadOnlyList<long> dims, IReadOnlyList<long> values)
    {
        CheckElementCount(stem, dims, values.Count);
        var tensor = new TensorProto { Name = UniqueName(stem), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A rank-0 float constant, for operators such as Clip that take their bounds as inputs.</summary>
    public string AddFloatScalar(string stem, float value) => AddFloatInitializer(stem, [], [value]);

    /// <summary>Adds a node with one output, named after <paramref name="outputStem"/>, and returns that name.</summary>
    public string AddNode(string opType, string outputStem, IReadOnlyList<string> inputs,
        params IEnumerable<AttributeProto> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        var output = UniqueName(outputStem);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    public void AddFloatInput(string name, params IReadOnlyList<OnnxDimension> shape) =>
        graph.Input.Add(FloatValueInfo(ClaimExactName(name), shape));

    /// <summary>Declares an existing value as a graph output; the value's name is the output's name.</summary>
    public void AddFloatOutput(string name, params IReadOnlyList<OnnxDimension> shape) =>
        graph.Output.Add(FloatValueInfo(name, shape));

    /// <summary>Reserves a name that a later node must produce verbatim (such as the graph output "features").</summary>
    public string ClaimExactName(string name)
    {
        if (!names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX value name '{name}' is already in use.");
        }

        return name;
    }

    /// <summary>Adds a node whose single output must carry exactly <paramref name="output"/> as its name.</summary>
    public void AddNodeWithExactOutput(string opType, string output, IReadOnlyList<string> inputs,
        params IEnumerable<AttributeProto> attributes)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
    }

    public ModelProto Build(long opsetVersion, string producerName, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersionForOpset13,
            ProducerName = producerName,
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opsetVersion });
        return model;
    }

    /// <summary>A float32 tensor value of the given shape, as a graph input or output declares it.</summary>
    internal static ValueInfoProto FloatValueInfo(string name, IReadOnlyList<OnnxDimension> shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dimension in shape)
        {
            tensorShape.Dim.Add(dimension.Size is { } size
                ? new TensorShapeProto.Types.Dimension { DimValue = size }
                : new TensorShapeProto.Types.Dimension { DimParam = dimension.Symbol });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = tensorShape,
                },
            },
        };
    }

    private static void CheckElementCount(string stem, IReadOnlyList<long> dims, int count)
    {
        long expected = 1;
        foreach (var dim in dims)
        {
            expected *= dim;
        }

        if (expected != count)
        {
            throw new ArgumentException(
                $"Initializer '{stem}' has {count} values but its dims [{string.Join(", ", dims)}] hold {expected}.");
        }
    }
}
