using System.Text.Json;
using Google.Protobuf;
using Pipeline.Backbones;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Features;
using Pipeline.Images;

namespace Pipeline.Export;

/// <summary>
/// Builds exported ONNX graphs around a model's backbones. There is one input per backbone, in the manifest's order:
/// <see cref="InputName"/> for the first (the only one of a single-backbone model), <c>pixels_1</c>... for the further
/// backbones of a combined model (see <see cref="InputNameOf"/>). Each is float RGB pixels, NCHW, values 0..255, already
/// decoded, flattened onto white and resized the way that backbone says (its input size; stretched or letterboxed on
/// white). Everything after that is inside the graph: each backbone's pixel scaling, the backbone itself (its graph
/// inlined, taps and pooling included), the features concatenated in the manifest's order, and for the classifier the
/// feature standardisation, the linear head and softmax.
/// </summary>
/// <remarks>
/// The backbone graphs are read with the repository's protobuf subset and copied in: each one's input is replaced by the
/// scaling nodes, which produce a value of the same name, and its outputs by ours. The names of every backbone after
/// the first get a <c>backbone_i/</c> prefix, so two graphs cannot collide. The graph takes the highest IR version and
/// opset of its backbones; an older backbone's nodes are brought up to that opset (see <see cref="UpgradeOpset"/>). The
/// few operators added here (Mul, Add, Sub, Flatten, Concat, MatMul, Softmax, Reshape) mean the same from opset 7 on.
/// </remarks>
public static class OnnxClassifierGraph
{
    public const string InputName = "pixels";
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The feature extractor's output: the name of the ML.NET head's input column.</summary>
    public const string FeaturesName = "Features";

    /// <summary>metadata_props key of the label names, a JSON array in output order.</summary>
    public const string LabelsKey = "labels";

    /// <summary>metadata_props key of the views the graph averages over, a JSON array; absent when it does not.</summary>
    public const string TestTimeViewsKey = "test_time_views";

    private const long FreshOpset = 13;
    private const long FreshIrVersion = 7;
    private const long MinimumOpset = 7;

    /// <summary>
    /// Operators whose inputs, outputs and attributes mean the same from opset 7 to 13 (BatchNormalization once its
    /// <c>spatial</c> attribute is dropped), so a backbone made of them can join a graph at a newer opset.
    /// </summary>
    private static readonly HashSet<string> StableOperators = new(StringComparer.Ordinal)
    {
        "Add", "AveragePool", "BatchNormalization", "Concat", "Conv", "Div", "Flatten", "Gemm", "GlobalAveragePool",
        "GlobalMaxPool", "Identity", "MatMul", "Max", "MaxPool", "Min", "Mul", "ReduceMax", "Relu", "Reshape", "Sqrt", "Sub",
        "Sum", "Transpose",
    };

    /// <summary><c>pixels</c> for backbone 0, <c>pixels_1</c> for backbone 1...: a name per backbone of a model.</summary>
    public static string InputNameOf(int backbone) => Indexed(InputName, backbone);

    /// <summary><paramref name="name"/> for backbone 0, <c>name_i</c> for backbone i.</summary>
    public static string Indexed(string name, int backbone) => backbone == 0 ? name : $"{name}_{backbone}";

    /// <summary>
    /// One graph from one pixel input per backbone ([N,3,S_i,S_i], see <see cref="InputNameOf"/>) to
    /// <see cref="ProbabilitiesName"/> [N,labels].
    /// </summary>
    /// <param name="testTimeViews">
    /// The views a model averages over (<see cref="Registry.ModelManifest.TestTimeViews"/>, the original first), or empty:
    /// each input of N images becomes a batch of views x N inside the graph (the same resampling matrices as
    /// <see cref="ImageViewGeometry"/>), and the output is the mean of the views' probabilities, still [N, labels].
    /// </param>
    public static ModelProto Classifier(IReadOnlyList<PreparedBackbone> backbones, LinearHead head,
        IReadOnlyList<string> labels, string architecture, IReadOnlyList<ImageView>? testTimeViews = null)
    {
        var views = testTimeViews ?? [];
        var graph = new GraphEditor(backbones, OnnxDimension.Symbolic("batch"), views: views);
        var z = graph.Features;
        if (head.Offset.Length > 0)
            z = graph.Node("Sub", "standardise_offset", [z, graph.Floats("feature_offset", [head.FeatureLength], head.Offset)]);
        z = graph.Node("Mul", "standardised", [z, graph.Floats("feature_scale", [head.FeatureLength], head.Scale)]);
        var logits = graph.Node("MatMul", "logits", [z, graph.Floats("head_weights", [head.FeatureLength, head.ClassCount],
            Transpose(head.Weights, head.ClassCount, head.FeatureLength))]);
        logits = graph.Node("Add", "logits_biased", [logits, graph.Floats("head_biases", [head.ClassCount], head.Biases)]);
        if (views.Count == 0)
        {
            graph.Output("Softmax", ProbabilitiesName, [logits], [OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(head.ClassCount)],
                OnnxAttributes.Int("axis", 1));
        }
        else
        {
            // [views·N, C] → [views, N·C] → mean over views by a MatMul with 1/views → [N, C]. MatMul and Reshape mean the
            // same in every opset, where ReduceMean moved its axes from an attribute to an input in opset 18.
            var perView = graph.Node("Softmax", "view_probabilities", [logits], OnnxAttributes.Int("axis", 1));
            var byView = graph.Node("Reshape", "probabilities_by_view", [perView, graph.Int64s("views_rows", [2], [views.Count, -1])]);
            var mean = graph.Node("MatMul", "mean_over_views",
                [graph.Floats("view_weights", [1, views.Count], Enumerable.Repeat(1f / views.Count, views.Count).ToArray()), byView]);
            graph.Output("Reshape", ProbabilitiesName, [mean, graph.Int64s("per_image", [2], [-1, head.ClassCount])],
                [OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(head.ClassCount)]);
        }

        var model = graph.Model;
        var inputs = backbones.Select((b, i) =>
            $"'{InputNameOf(i)}': float [N,3,{b.Descriptor.InputSize},{b.Descriptor.InputSize}], RGB 0..255 ({Fitting(b.Descriptor.Resize)})");
        model.DocString = $"{architecture} image classifier exported by Pipeline. Input {string.Join("; input ", inputs)}. " +
                          $"Output '{ProbabilitiesName}': one probability per label, in the order of metadata '{LabelsKey}'." +
                          (views.Count == 0 ? "" : $" Averaged over {views.Count} views of each image made inside the graph " +
                                                   $"({string.Join(", ", views)}; metadata '{TestTimeViewsKey}').");
        model.MetadataProps.Add(new StringStringEntryProto { Key = LabelsKey, Value = JsonSerializer.Serialize(labels) });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "architecture", Value = architecture });
        if (views.Count > 0)
            model.MetadataProps.Add(new StringStringEntryProto { Key = TestTimeViewsKey, Value = JsonSerializer.Serialize(views.Select(v => v.ToString())) });
        for (var i = 0; i < backbones.Count; i++)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = Indexed("input_size", i), Value = backbones[i].Descriptor.InputSize.ToString() });
            model.MetadataProps.Add(new StringStringEntryProto { Key = Indexed("resize", i), Value = backbones[i].Descriptor.Resize.ToString() });
        }

        return model;
    }

    // How the caller must fit an image, in the words of the model's doc string.
    private static string Fitting(ResizeMode resize) => resize switch
    {
        ResizeMode.Stretch => "Stretch",
        ResizeMode.TrimBorderAndPad => "TrimBorderAndPad, letterboxed with the margin's colour",
        ResizeMode.TrimPaperAndPad => "TrimPaperAndPad, letterboxed on white, the margin's colour moved to white unless what is drawn on it is mostly lighter",
        _ => $"{resize} on white",
    };

    /// <summary>
    /// One image [1,3,S,S] of input <see cref="InputNameOf"/>(<paramref name="index"/>) to <paramref name="output"/> [F]:
    /// what ML.NET's ApplyOnnxModel runs for backbone <paramref name="index"/> of a model, one row at a time, ahead of
    /// the trained ML.NET head. Rank 1 so that the column type is exactly a vector type the head can read.
    /// </summary>
    public static ModelProto FeatureExtractor(PreparedBackbone backbone, int index, string output)
    {
        var graph = new GraphEditor([backbone], OnnxDimension.Fixed(1), index);
        graph.Output("Reshape", output, [graph.Features, graph.Int64s("single_row", [1], [-1])],
            [OnnxDimension.Fixed(backbone.Descriptor.FeatureLength)]);
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

    private static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain)).Select(o => o.Version).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Brings a backbone's nodes from its opset up to the graph's. Opset 9 dropped BatchNormalization's <c>spatial</c>
    /// attribute (what 9 on always do is <c>spatial = 1</c>); the other operators must be ones whose meaning did not
    /// change, or the backbone is refused rather than run with a meaning it was not built for.
    /// </summary>
    private static void UpgradeOpset(GraphProto graph, string backbone, long from, long to)
    {
        if (from == to) return;
        foreach (var node in graph.Node)
        {
            var spatial = node.OpType == "BatchNormalization" ? node.Attribute.FirstOrDefault(a => a.Name == "spatial") : null;
            if (!string.IsNullOrEmpty(node.Domain) || !StableOperators.Contains(node.OpType) || spatial is { I: not 1 })
                throw new PipelineException(
                    $"The {backbone} backbone (ONNX opset {from}) uses {node.OpType}, which cannot be moved to opset {to} " +
                    "to share one graph with the model's other backbones. Export a single-backbone candidate instead.");
            if (spatial is not null) node.Attribute.Remove(spatial);
        }
    }

    /// <summary>Gives every name of a backbone graph a prefix (empty optional inputs stay empty).</summary>
    private static void Prefix(GraphProto graph, string prefix)
    {
        string Renamed(string name) => name.Length == 0 ? name : prefix + name;
        foreach (var node in graph.Node)
        {
            if (node.HasName) node.Name = Renamed(node.Name);
            for (var i = 0; i < node.Input.Count; i++) node.Input[i] = Renamed(node.Input[i]);
            for (var i = 0; i < node.Output.Count; i++) node.Output[i] = Renamed(node.Output[i]);
        }

        foreach (var tensor in graph.Initializer) tensor.Name = Renamed(tensor.Name);
        foreach (var value in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo)) value.Name = Renamed(value.Name);
    }

    /// <summary>The model's backbone graphs (or an empty one for raw pixels) with their pixel inputs and scaling in front.</summary>
    private sealed class GraphEditor
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        private readonly IReadOnlyList<ImageView> _views;

        /// <param name="firstIndex">The index in the model of <paramref name="backbones"/>' first; it names inputs and prefixes.</param>
        /// <param name="views">Views to stack along the batch axis right after each input (test-time averaging); empty: none.</param>
        public GraphEditor(IReadOnlyList<PreparedBackbone> backbones, OnnxDimension batch, int firstIndex = 0,
            IReadOnlyList<ImageView>? views = null)
        {
            _views = views ?? [];
            var graphs = backbones.Select(b => b.OnnxPath is { } path ? ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)) : null).ToList();
            var onnx = graphs.OfType<ModelProto>().ToList();
            var opset = onnx.Count == 0 ? FreshOpset : onnx.Max(DefaultOpset);
            Model = new ModelProto
            {
                IrVersion = onnx.Count == 0 ? FreshIrVersion : onnx.Max(m => m.IrVersion),
                ProducerName = "Pipeline.Export",
                Graph = new GraphProto { Name = "exported" },
            };
            Model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });

            var features = backbones.Select((b, i) => AddBackbone(b.Descriptor, graphs[i], firstIndex + i, batch, opset)).ToList();
            Features = features.Count == 1 ? features[0] : Node("Concat", "features", features, OnnxAttributes.Int("axis", 1));
        }

        public ModelProto Model { get; }
        private GraphProto Graph => Model.Graph;

        /// <summary>The features, [batch, F], every backbone's in order.</summary>
        public string Features { get; }

        /// <summary>Adds backbone <paramref name="index"/>'s input, scaling and graph; returns its features, [batch, F_i].</summary>
        private string AddBackbone(BackboneDescriptor backbone, ModelProto? onnx, int index, OnnxDimension batch, long opset)
        {
            var input = Claim(InputNameOf(index));
            Graph.Input.Add(OnnxGraphBuilder.FloatValueInfo(input,
                [batch, OnnxDimension.Fixed(3), OnnxDimension.Fixed(backbone.InputSize), OnnxDimension.Fixed(backbone.InputSize)]));
            var (scale, offset) = AffineOf(backbone.Scaling);
            var pixels = _views.Count == 0 ? input : StackViews(input, backbone.InputSize, index);
            var scaled = Node("Mul", Indexed("scaled_pixels", index), [pixels, Floats(Indexed("pixel_scale", index), [1, 3, 1, 1], scale)]);
            var shift = Floats(Indexed("pixel_offset", index), [1, 3, 1, 1], offset);
            if (onnx is null)
                return Node("Flatten", Indexed("raw_features", index),
                    [Node("Add", Indexed("shifted_pixels", index), [scaled, shift])], OnnxAttributes.Int("axis", 1));

            var own = DefaultOpset(onnx);
            if (own < MinimumOpset)
                throw new PipelineException($"The {backbone.Name} backbone uses ONNX opset {own}; export needs {MinimumOpset} or later.");
            var graph = onnx.Graph;
            var prefix = index == 0 ? "" : $"backbone_{index}/";
            if (prefix.Length > 0) Prefix(graph, prefix);
            UpgradeOpset(graph, backbone.Name, own, opset);
            var names = NamesOf(graph);
            if (names.FirstOrDefault(_names.Contains) is { } taken)
                throw new PipelineException($"The {backbone.Name} backbone graph uses the name '{taken}' that the export already uses.");
            _names.UnionWith(names);

            // The backbone's nodes read its input by name: the scaling now produces that name, ahead of them.
            var backboneInput = graph.Input.FirstOrDefault(i => i.Name == prefix + backbone.InputName)
                                ?? throw new PipelineException($"The {backbone.Name} backbone has no input named '{backbone.InputName}'.");
            if (graph.Output.All(o => o.Name != prefix + backbone.OutputName))
                throw new PipelineException($"The {backbone.Name} backbone has no output named '{backbone.OutputName}'.");
            Graph.Node.Add(NodeProto(input + "_scaling", "Add", [scaled, shift], backboneInput.Name));
            Graph.Node.AddRange(graph.Node);
            Graph.Initializer.AddRange(graph.Initializer);
            Graph.ValueInfo.AddRange(graph.ValueInfo);
            // Older graphs list their weights as inputs too; those stay inputs, with the initializers as their values.
            Graph.Input.AddRange(graph.Input.Where(i => i != backboneInput));
            return Node("Flatten", Indexed("backbone_features", index), [prefix + backbone.OutputName], OnnxAttributes.Int("axis", 1));
        }

        /// <summary>
        /// The views of an input's images, stacked view by view along the batch axis ([views·N, 3, S, S], 0..255): the
        /// mirror as X·J, a scaled view as A·X·Aᵀ plus white where <see cref="ImageViewGeometry"/> leaves a border.
        /// </summary>
        private string StackViews(string input, int side, int index)
        {
            var stacked = new List<string>();
            foreach (var view in _views)
            {
                var stem = Indexed($"view_{view.ToString().ToLowerInvariant()}", index);
                if (view == ImageView.Mirrored)
                {
                    var reverse = new float[side * side];
                    for (var x = 0; x < side; x++) reverse[(side - 1 - x) * side + x] = 1f;
                    stacked.Add(Node("MatMul", stem, [input, Floats(stem + "_reverse", [side, side], reverse)]));
                }
                else if (ImageViewGeometry.IsScaled(view))
                {
                    var a = ImageViewGeometry.ResampleMatrix(side, ImageViewGeometry.ScaleOf(view));
                    var sums = ImageViewGeometry.RowSums(a, side);
                    var border = new float[side * side];
                    for (var i = 0; i < side; i++)
                        for (var j = 0; j < side; j++) border[i * side + j] = 255f * (1 - sums[i] * sums[j]);
                    var rows = Node("MatMul", stem + "_rows", [Floats(stem + "_resample", [side, side], a), input]);
                    var both = Node("MatMul", stem + "_columns", [rows, Floats(stem + "_resample_t", [side, side], Transpose(a, side, side))]);
                    stacked.Add(Node("Add", stem, [both, Floats(stem + "_border", [side, side], border)]));
                }
                else
                {
                    stacked.Add(input);
                }
            }

            return Node("Concat", Indexed("views", index), stacked, OnnxAttributes.Int("axis", 0));
        }

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

        private static HashSet<string> NamesOf(GraphProto graph)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in graph.Node)
            {
                names.UnionWith(node.Input.Where(i => i.Length > 0));
                names.UnionWith(node.Output);
                if (node.HasName) names.Add(node.Name);
            }

            names.UnionWith(graph.Initializer.Select(i => i.Name));
            names.UnionWith(graph.Input.Select(i => i.Name));
            names.UnionWith(graph.Output.Select(o => o.Name));
            return names;
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
