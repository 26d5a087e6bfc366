using System.Text.Json;
using Google.Protobuf;
using Pipeline.Backbones;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Images;

namespace Pipeline.Export;

/// <summary>
/// Builds exported ONNX graphs around a model's backbone. The input is always <see cref="InputName"/>: float RGB
/// pixels, NCHW, values 0..255, already decoded, flattened onto white and resized the way the model's backbone says
/// (its input size; stretched or letterboxed on white). Everything after that is inside the graph: the backbone's pixel
/// scaling, the backbone itself (its graph inlined, taps and pooling included), and for the classifier the feature
/// standardisation, the linear head and softmax.
/// </summary>
/// <remarks>
/// The backbone graph is read with the repository's protobuf subset and edited in place: its input is replaced by
/// the scaling nodes, which produce a value of the same name, and its outputs by ours. Its opset and IR version are
/// kept; the few operators added here (Mul, Add, Sub, Flatten, MatMul, Softmax, Reshape) mean the same from opset 7 on.
/// </remarks>
public static class OnnxClassifierGraph
{
    public const string InputName = "pixels";
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The feature extractor's output: the name of the ML.NET head's input column.</summary>
    public const string FeaturesName = "Features";

    /// <summary>metadata_props key of the label names, a JSON array in output order.</summary>
    public const string LabelsKey = "labels";

    private const long FreshOpset = 13;
    private const long FreshIrVersion = 7;
    private const long MinimumOpset = 7;

    /// <summary>One graph from pixels [N,3,S,S] to <see cref="ProbabilitiesName"/> [N,labels].</summary>
    public static ModelProto Classifier(BackboneDescriptor backbone, byte[]? backboneOnnx, LinearHead head,
        IReadOnlyList<string> labels, string architecture)
    {
        var graph = new GraphEditor(backbone, backboneOnnx, OnnxDimension.Symbolic("batch"));
        var z = graph.Features;
        if (head.Offset.Length > 0)
            z = graph.Node("Sub", "standardise_offset", [z, graph.Floats("feature_offset", [head.FeatureLength], head.Offset)]);
        z = graph.Node("Mul", "standardised", [z, graph.Floats("feature_scale", [head.FeatureLength], head.Scale)]);
        var logits = graph.Node("MatMul", "logits", [z, graph.Floats("head_weights", [head.FeatureLength, head.ClassCount],
            Transpose(head.Weights, head.ClassCount, head.FeatureLength))]);
        logits = graph.Node("Add", "logits_biased", [logits, graph.Floats("head_biases", [head.ClassCount], head.Biases)]);
        graph.Output("Softmax", ProbabilitiesName, [logits], [OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(head.ClassCount)],
            OnnxAttributes.Int("axis", 1));

        var model = graph.Model;
        model.DocString = $"{architecture} image classifier exported by Pipeline. Input '{InputName}': float [N,3,{backbone.InputSize}," +
                          $"{backbone.InputSize}], RGB 0..255 ({backbone.Resize} on white). Output '{ProbabilitiesName}': one " +
                          $"probability per label, in the order of metadata '{LabelsKey}'.";
        model.MetadataProps.Add(new StringStringEntryProto { Key = LabelsKey, Value = JsonSerializer.Serialize(labels) });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "architecture", Value = architecture });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "input_size", Value = backbone.InputSize.ToString() });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "resize", Value = backbone.Resize.ToString() });
        return model;
    }

    /// <summary>
    /// One image [1,3,S,S] to <see cref="FeaturesName"/> [F]: what ML.NET's ApplyOnnxModel runs, one row at a time,
    /// ahead of the trained ML.NET head. Rank 1 so that the column type is exactly the head's input vector type.
    /// </summary>
    public static ModelProto FeatureExtractor(BackboneDescriptor backbone, byte[]? backboneOnnx)
    {
        var graph = new GraphEditor(backbone, backboneOnnx, OnnxDimension.Fixed(1));
        graph.Output("Reshape", FeaturesName, [graph.Features, graph.Int64s("single_row", [1], [-1])],
            [OnnxDimension.Fixed(backbone.FeatureLength)]);
        return graph.Model;
    }

    private static float[] Transpose(float[] rowMajor, int rows, int columns)
    {
        var transposed = new float[rowMajor.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                transposed[c * rows + r] = rowMajor[r * columns + c];
        return transposed;
    }

    /// <summary>The backbone's graph (or an empty one for raw pixels) with the pixel input and scaling in front.</summary>
    private sealed class GraphEditor
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public GraphEditor(BackboneDescriptor backbone, byte[]? backboneOnnx, OnnxDimension batch)
        {
            if (backboneOnnx is null)
            {
                Model = new ModelProto { IrVersion = FreshIrVersion, Graph = new GraphProto { Name = "raw_pixels" } };
                Model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = FreshOpset });
            }
            else
            {
                Model = ModelProto.Parser.ParseFrom(backboneOnnx);
                var opset = Model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain)).Select(o => o.Version).DefaultIfEmpty(0).Max();
                if (opset < MinimumOpset)
                    throw new PipelineException($"The {backbone.Name} backbone uses ONNX opset {opset}; export needs {MinimumOpset} or later.");
                Reserve(Model.Graph);
            }

            Model.ProducerName = "Pipeline.Export";
            Graph.Input.Add(OnnxGraphBuilder.FloatValueInfo(Claim(InputName),
                [batch, OnnxDimension.Fixed(3), OnnxDimension.Fixed(backbone.InputSize), OnnxDimension.Fixed(backbone.InputSize)]));
            var (scale, offset) = AffineOf(backbone.Scaling);
            var backboneNodes = Graph.Node.Count;
            var scaled = Node("Mul", "scaled_pixels", [InputName, Floats("pixel_scale", [1, 3, 1, 1], scale)]);
            if (backboneOnnx is null)
            {
                Features = Node("Flatten", "raw_features",
                    [Node("Add", "shifted_pixels", [scaled, Floats("pixel_offset", [1, 3, 1, 1], offset)])], OnnxAttributes.Int("axis", 1));
                return;
            }

            // The backbone's nodes read its input by name: the scaling now produces that name, and the old input goes.
            var input = Graph.Input.FirstOrDefault(i => i.Name == backbone.InputName)
                        ?? throw new PipelineException($"The {backbone.Name} backbone has no input named '{backbone.InputName}'.");
            Graph.Input.Remove(input);
            Graph.Node.Add(NodeProto(InputName + "_scaling", "Add", [scaled, Floats("pixel_offset", [1, 3, 1, 1], offset)], backbone.InputName));
            // ONNX wants nodes in topological order: the scaling, appended last, moves in front of the backbone.
            for (var i = backboneNodes; i < Graph.Node.Count; i++)
            {
                var node = Graph.Node[i];
                Graph.Node.RemoveAt(i);
                Graph.Node.Insert(i - backboneNodes, node);
            }

            if (Graph.Output.All(o => o.Name != backbone.OutputName))
                throw new PipelineException($"The {backbone.Name} backbone has no output named '{backbone.OutputName}'.");
            Graph.Output.Clear();
            Features = Node("Flatten", "backbone_features", [backbone.OutputName], OnnxAttributes.Int("axis", 1));
        }

        public ModelProto Model { get; }
        private GraphProto Graph => Model.Graph;

        /// <summary>The features, [batch, F].</summary>
        public string Features { get; }

        public string Node(string opType, string stem, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
        {
            var output = Fresh(stem);
            Graph.Node.Add(NodeProto(output, opType, inputs, output, attributes));
            return output;
        }

        /// <summary>A node whose output is a graph output under exactly <paramref name="name"/>.</summary>
        public void Output(string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<OnnxDimension> shape,
            params AttributeProto[] attributes)
        {
            Graph.Node.Add(NodeProto(Claim(name), opType, inputs, name, attributes));
            Graph.Output.Add(OnnxGraphBuilder.FloatValueInfo(name, shape));
        }

        public string Floats(string stem, IReadOnlyList<long> dims, float[] values)
        {
            var tensor = new TensorProto { Name = Fresh(stem), DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.AddRange(dims);
            tensor.FloatData.AddRange(values);
            Graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        public string Int64s(string stem, IReadOnlyList<long> dims, long[] values)
        {
            var tensor = new TensorProto { Name = Fresh(stem), DataType = (int)TensorProto.Types.DataType.Int64 };
            tensor.Dims.AddRange(dims);
            tensor.Int64Data.AddRange(values);
            Graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        private static NodeProto NodeProto(string name, string opType, IReadOnlyList<string> inputs, string output,
            params AttributeProto[] attributes)
        {
            var node = new NodeProto { Name = name, OpType = opType };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            node.Attribute.AddRange(attributes);
            return node;
        }

        private void Reserve(GraphProto graph)
        {
            foreach (var node in graph.Node)
            {
                _names.UnionWith(node.Input);
                _names.UnionWith(node.Output);
                if (node.HasName) _names.Add(node.Name);
            }

            _names.UnionWith(graph.Initializer.Select(i => i.Name));
            _names.UnionWith(graph.Input.Select(i => i.Name));
            _names.UnionWith(graph.Output.Select(o => o.Name));
        }

        private string Fresh(string stem)
        {
            var name = "export/" + stem;
            for (var suffix = 1; !_names.Add(name); suffix++) name = $"export/{stem}_{suffix}";
            return name;
        }

        private string Claim(string name) => _names.Add(name)
            ? name
            : throw new PipelineException($"The backbone graph already uses the name '{name}' that the export needs.");
    }

    /// <summary>
    /// The per-channel scale and offset of a pixel scaling, taken from the service's own pixel writer (x = 0 and
    /// x = 255 of a two-pixel image) so that export and service can never disagree on a constant.
    /// </summary>
    private static (float[] Scale, float[] Offset) AffineOf(PixelScaling scaling)
    {
        var ends = PixelTensorWriter.ToChw(new RgbImage(2, 1, [0, 0, 0, 255, 255, 255]), scaling);
        var scale = new float[3];
        var offset = new float[3];
        for (var c = 0; c < 3; c++)
        {
            offset[c] = ends[2 * c];
            scale[c] = (ends[2 * c + 1] - ends[2 * c]) / 255f;
        }

        return (scale, offset);
    }
}
