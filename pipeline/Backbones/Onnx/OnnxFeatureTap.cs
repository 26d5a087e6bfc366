using Google.Protobuf;
using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.Backbones.Onnx;

/// <summary>
/// Turns a downloaded ONNX classifier into a feature extractor: an intermediate tensor (the global pool before the
/// classifier) is flattened and published as the graph's only output, <c>features</c>. Everything the subset proto
/// does not describe (other initialiser encodings, metadata) is carried through as unknown fields, untouched.
/// </summary>
public static class OnnxFeatureTap
{
    public const string OutputName = "features";

    /// <returns>The feature length, as declared by <paramref name="featureLength"/> and checked by the caller's run.</returns>
    public static int Expose(string sourceOnnx, string tensorName, int featureLength, string outputOnnx)
    {
        ModelProto model;
        using (var input = File.OpenRead(sourceOnnx))
            model = ModelProto.Parser.ParseFrom(input);

        var graph = model.Graph ?? throw new PipelineException($"{sourceOnnx} has no graph.");
        if (!graph.Node.Any(n => n.Output.Contains(tensorName)))
            throw new PipelineException($"{sourceOnnx} has no tensor named '{tensorName}' to take features from.");

        var flatten = new NodeProto { OpType = "Flatten", Name = OutputName + "_flatten" };
        flatten.Input.Add(tensorName);
        flatten.Output.Add(OutputName);
        flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(flatten);

        graph.Output.Clear();
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = featureLength });
        graph.Output.Add(new ValueInfoProto
        {
            Name = OutputName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        });

        OnnxModelFile.WriteAtomically(model, outputOnnx);
        return featureLength;
    }
}
