using System.Runtime.InteropServices;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Backbones.Tfjs;

namespace Pipeline.Backbones.MlNet;

/// <summary>
/// Turns the package's two fixed-batch graphs (preprocessing, then ResNet18) into one feature extractor with a dynamic
/// batch: input <c>input</c> [batch, 3, 224, 224] planar RGB 0-255 (<see cref="Images.PixelScaling.Raw"/>), output
/// <c>features</c> [batch, F], the pooled taps concatenated in the order given.
/// </summary>
/// <remarks>
/// <para>The preprocessing graph swaps RGB to BGR and subtracts a per-pixel mean image. The swap is folded into the
/// first convolution (its input channels are reordered, which is exact: a convolution sums over channels) and the
/// mean, reordered to RGB, is subtracted by one Sub node. The mean cannot go into the convolution's bias: that
/// convolution zero-pads its input, and the padded border would then see -mean instead of 0.</para>
/// <para>The batch dimension is fixed only in the declared shapes (inputs, outputs and value_info); no node reshapes
/// (the graph has no Reshape or Flatten: it ends in a 7x7 AveragePool). So the declared shapes are dropped or
/// replaced by a symbolic batch, and every node is kept as it is. BatchNormalization is left in place:
/// ONNX Runtime folds it into the convolutions when it loads the graph.</para>
/// </remarks>
public static class ResNet18GraphRewriter
{
    public const string InputName = "input";
    public const string OutputName = "features";
    public const int InputSize = 224;

    // Names inside the package's graphs, checked when read.
    private const string PackageInput = "Input247";
    private const string PreprocessInput = "OriginalInput";
    private const string MeanImageName = "MeanImage";

    /// <summary>Writes the feature extractor to <paramref name="outputOnnx"/> (temporary name, then renamed).</summary>
    /// <param name="pairWithOutline">
    /// Run the network on each image and on its outline, and return both features side by side (<see cref="OutlinePairing"/>).
    /// </param>
    /// <returns>Each tap's slice of the feature vector.</returns>
    /// <exception cref="ArgumentException">A tap names no tensor of the graph, or its grid does not tile the map.</exception>
    /// <exception cref="InvalidDataException">The package's graphs are not shaped as this rewrite expects.</exception>
    public static IReadOnlyList<BackboneTap> Rewrite(ResNet18PackageFiles files, IReadOnlyList<string> taps,
        TapPooling pooling, string outputOnnx, bool pairWithOutline = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Rewrite(GraphOf(files.Network), files, taps, pooling, outputOnnx, pairWithOutline);
    }

    /// <summary>
    /// As above, with the network graph already read (the fine-tuning tool rewrites a network it holds in memory, so the
    /// 45 MB graph is not read from disk again); the package's preprocessing graph is read from <paramref name="files"/>.
    /// The network graph is not changed.
    /// </summary>
    internal static IReadOnlyList<BackboneTap> Rewrite(GraphProto network, ResNet18PackageFiles files, IReadOnlyList<string> taps,
        TapPooling pooling, string outputOnnx, bool pairWithOutline = false)
    {
        if (taps is not { Count: > 0 }) throw new ArgumentException("At least one tap is required.", nameof(taps));
        var parsedTaps = taps.Select(ResNet18Tap.Parse).ToList();

        var meanRgb = MeanImageInRgbOrder(GraphOf(files.Preprocess));
        CheckInput(network);
        var shapes = DeclaredShapes(network);
        foreach (var tap in parsedTaps) MapShape(tap, shapes);
        var needed = NodesNeededFor(network, parsedTaps.Select(t => t.Tensor));

        var graph = new OnnxGraphBuilder("resnet18_features");
        graph.AddFloatInput(InputName,
            OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(3), OnnxDimension.Fixed(InputSize), OnnxDimension.Fixed(InputSize));
        graph.ClaimExactName(OutputName);
        graph.ClaimExactName(PackageInput);
        var mean = graph.AddFloatInitializer("mean_image_rgb", [1, 3, InputSize, InputSize], meanRgb);
        var images = pairWithOutline ? OutlinePairing.AddImagesAndOutlines(graph, InputName, InputSize) : InputName;
        graph.AddNodeWithExactOutput("Sub", PackageInput, [images, mean]);

        var firstConvolution = FirstConvolution(network);
        var used = needed.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var initializer in network.Initializer.Where(i => used.Contains(i.Name)))
        {
            graph.AdoptInitializer(initializer.Name == firstConvolution.Input[1]
                ? WithInputChannelsReversed(initializer)
                : initializer);
        }

        foreach (var node in needed) graph.AdoptNode(node);

        var (pieces, tapSlices) = AddPooledTaps(graph, parsedTaps, shapes, pooling);
        IReadOnlyList<BackboneTap> slices = tapSlices;
        if (pairWithOutline)
        {
            var features = graph.AddNode("Concat", "images_and_outlines_features", pieces, OnnxAttributes.Int("axis", 1));
            OutlinePairing.AddSideBySide(graph, features, OutputName, tapSlices.Sum(s => s.Length));
            slices = OutlinePairing.Slices(tapSlices);
        }
        else
        {
            graph.AddNodeWithExactOutput("Concat", OutputName, pieces, OnnxAttributes.Int("axis", 1));
        }

        graph.AddFloatOutput(OutputName, OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(slices.Sum(s => s.Length)));

        // Opset 8 is the package's own; every operator added here (Sub, pooling, Flatten, Concat, the outline's) exists there.
        var model = graph.Build(8, "Pipeline.Backbones.MlNet",
            $"Features of {string.Join(", ", taps)} ({pooling} pooling){(pairWithOutline ? " of the image, then of its outline," : "")} " +
            $"from {ResNet18PackageFiles.SourceDescription}.");
        OnnxModelFile.WriteAtomically(model, outputOnnx);
        return slices;
    }

    /// <summary>
    /// The preprocessing graph's mean image, channels reordered from BGR to RGB, after checking that the graph is the
    /// Split -> Concat(B, G, R) -> Sub(MeanImage) it is known to be.
    /// </summary>
    private static float[] MeanImageInRgbOrder(GraphProto preprocess)
    {
        var ops = preprocess.Node.Select(n => n.OpType).ToList();
        var split = preprocess.Node.FirstOrDefault();
        var concat = preprocess.Node.ElementAtOrDefault(1);
        var sub = preprocess.Node.ElementAtOrDefault(2);
        if (!ops.SequenceEqual(["Split", "Concat", "Sub"]) || split!.Input[0] != PreprocessInput ||
            !concat!.Input.SequenceEqual(split.Output.Reverse()) || sub!.Input[0] != concat.Output[0] || sub.Input[1] != MeanImageName)
            throw new InvalidDataException(
                $"The package's preprocessing graph is not Split -> Concat(B, G, R) -> Sub({MeanImageName}): [{string.Join(", ", ops)}].");

        var meanTensor = preprocess.Initializer.SingleOrDefault(i => i.Name == MeanImageName)
                         ?? throw new InvalidDataException($"The preprocessing graph has no initializer {MeanImageName}.");
        if (!meanTensor.Dims.SequenceEqual([1L, 3, InputSize, InputSize]))
            throw new InvalidDataException($"{MeanImageName} has dims [{string.Join(", ", meanTensor.Dims)}], not [1, 3, {InputSize}, {InputSize}].");

        var bgr = FloatValues(meanTensor);
        var plane = InputSize * InputSize;
        var rgb = new float[bgr.Length];
        for (var c = 0; c < 3; c++)
            bgr.AsSpan((2 - c) * plane, plane).CopyTo(rgb.AsSpan(c * plane, plane));
        return rgb;
    }

    private static void CheckInput(GraphProto network)
    {
        var input = network.Input.SingleOrDefault(i => i.Name == PackageInput);
        var dims = input?.Type?.TensorType?.Shape?.Dim.Select(d => d.DimValue).ToList();
        if (dims is null || !dims.SequenceEqual([1L, 3, InputSize, InputSize]))
            throw new InvalidDataException($"The ResNet18 graph has no input {PackageInput} [1, 3, {InputSize}, {InputSize}].");
    }

    /// <summary>The per-image shape [C, H, W] of every tensor the package declares (its value_info and outputs).</summary>
    private static Dictionary<string, long[]> DeclaredShapes(GraphProto network) =>
        network.ValueInfo.Concat(network.Output)
            .Where(v => v.Type?.TensorType?.Shape is { Dim.Count: 4 })
            .ToDictionary(v => v.Name, v => v.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray(),
                StringComparer.Ordinal);

    private static long[] MapShape(ResNet18Tap tap, IReadOnlyDictionary<string, long[]> shapes)
    {
        if (!shapes.TryGetValue(tap.Tensor, out var shape))
        {
            var closest = LayerNameSuggestions.Closest(tap.Tensor, shapes.Keys);
            throw new ArgumentException(
                $"Tap '{tap}' names no feature map of the ResNet18 graph. Closest: {string.Join(", ", closest)}.", nameof(tap));
        }

        if (shape[1] != shape[2] || shape[1] % tap.Grid != 0)
            throw new ArgumentException($"Tap '{tap}': a {tap.Grid}x{tap.Grid} grid does not tile its {shape[1]}x{shape[2]} map.",
                nameof(tap));
        return shape;
    }

    /// <summary>The nodes the taps depend on, in the graph's own (topological) order.</summary>
    private static List<NodeProto> NodesNeededFor(GraphProto network, IEnumerable<string> tensors)
    {
        var producers = network.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n)))
            .ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var needed = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<string>(tensors);
        while (pending.TryPop(out var tensor))
        {
            if (!producers.TryGetValue(tensor, out var node) || !needed.Add(node)) continue;
            foreach (var input in node.Input) pending.Push(input);
        }

        return network.Node.Where(needed.Contains).ToList();
    }

    private static NodeProto FirstConvolution(GraphProto network)
    {
        var readers = network.Node.Where(n => n.Input.Contains(PackageInput)).ToList();
        if (readers is not [{ OpType: "Conv" } convolution] || convolution.Input[0] != PackageInput)
            throw new InvalidDataException($"{PackageInput} is not read by exactly one Conv; cannot fold the BGR order into it.");
        if (network.Node.Count(n => n.Input.Contains(convolution.Input[1])) != 1)
            throw new InvalidDataException($"The first convolution's weights {convolution.Input[1]} are shared; cannot reorder them.");
        return convolution;
    }

    /// <summary>Weights [O, 3, kH, kW] with input channels 0 and 2 swapped: the BGR-trained filter, reading RGB.</summary>
    private static TensorProto WithInputChannelsReversed(TensorProto weights)
    {
        if (weights.Dims.Count != 4 || weights.Dims[1] != 3)
            throw new InvalidDataException($"First convolution weights {weights.Name} have dims [{string.Join(", ", weights.Dims)}].");
        var values = FloatValues(weights);
        var kernel = (int)(weights.Dims[2] * weights.Dims[3]);
        var reordered = new float[values.Length];
        for (var o = 0; o < weights.Dims[0]; o++)
        for (var c = 0; c < 3; c++)
            values.AsSpan((o * 3 + (2 - c)) * kernel, kernel).CopyTo(reordered.AsSpan((o * 3 + c) * kernel, kernel));

        var tensor = new TensorProto
        {
            Name = weights.Name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = Google.Protobuf.ByteString.CopyFrom(MemoryMarshal.AsBytes(reordered.AsSpan())),
        };
        tensor.Dims.AddRange(weights.Dims);
        return tensor;
    }

    private static (List<string> Pieces, List<BackboneTap> Slices) AddPooledTaps(OnnxGraphBuilder graph,
        IReadOnlyList<ResNet18Tap> taps, IReadOnlyDictionary<string, long[]> shapes, TapPooling pooling)
    {
        var pieces = new List<string>();
        var slices = new List<BackboneTap>();
        var offset = 0;
        foreach (var tap in taps)
        {
            var shape = MapShape(tap, shapes);
            var (channels, side) = ((int)shape[0], (int)shape[1]);
            var cells = tap.Grid * tap.Grid;
            int length;
            if (side == 1)
            {
                // Already pooled (the final 7x7 average): flattened as it is; a max over one value would only repeat it.
                pieces.Add(graph.AddNode("Flatten", $"{tap.Tensor}/flat", [tap.Tensor], OnnxAttributes.Int("axis", 1)));
                length = channels;
            }
            else
            {
                pieces.Add(Pool(graph, tap, side, average: true));
                if (pooling == TapPooling.AverageAndMax) pieces.Add(Pool(graph, tap, side, average: false));
                length = channels * cells * (pooling == TapPooling.AverageAndMax ? 2 : 1);
            }

            slices.Add(new BackboneTap(tap.ToString(), offset, length));
            offset += length;
        }

        return (pieces, slices);
    }

    private static string Pool(OnnxGraphBuilder graph, ResNet18Tap tap, int side, bool average)
    {
        var stem = $"{tap}/{(average ? "average" : "max")}";
        return tap.IsGlobal
            ? FeatureMapPooling.Global(graph, tap.Tensor, average ? "GlobalAveragePool" : "GlobalMaxPool", stem)
            : FeatureMapPooling.Grid(graph, tap.Tensor, average ? "AveragePool" : "MaxPool", side, tap.Grid, stem);
    }

    private static float[] FloatValues(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"Initializer {tensor.Name} is not float32.");
        return tensor.FloatData.Count > 0
            ? tensor.FloatData.ToArray()
            : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    private static GraphProto GraphOf(string onnx) =>
        OnnxModelFile.Read(onnx).Graph ?? throw new InvalidDataException($"{onnx} has no graph.");
}
