using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.FineTuning.LastStage;

/// <summary>
/// The residual blocks of the package ResNet18 between the stage-3 output (<see cref="InputTensor"/>, 256 x 14 x 14)
/// and the final 7 x 7 average pool (<see cref="PoolTensor"/>), read from the graph rather than assumed: the CNTK
/// export has its own layout (three 512-channel blocks, the first with a strided 1 x 1 projection) and padding (the
/// strided 3 x 3 convolution pads only the top and left), which torchvision's ResNet18 does not share.
/// </summary>
internal sealed record LastStageGraph(IReadOnlyList<ResidualBlock> Blocks)
{
    /// <summary>Stage 3's last ReLU: the cached activations the tuning starts from.</summary>
    public const string InputTensor = "ReLU347_Output_0";

    /// <summary>The global 7 x 7 average pool after the last block.</summary>
    public const string PoolTensor = "Pooling395_Output_0";

    /// <summary>Every initializer the blocks read: what tuning changes and writes back.</summary>
    public IEnumerable<string> ParameterNames =>
        Blocks.SelectMany(b => new[] { b.First, b.Second }.Concat(b.Shortcut is null ? [] : [b.Shortcut]))
            .SelectMany(c => new[] { c.Weight, c.Scale, c.Bias, c.Mean, c.Variance });

    /// <exception cref="InvalidDataException">The graph between the two tensors is not a chain of residual blocks.</exception>
    public static LastStageGraph Read(GraphProto network)
    {
        var producers = network.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n)))
            .ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var pool = Producer(producers, PoolTensor, "AveragePool");
        var blocks = new List<ResidualBlock>();
        var tensor = pool.Input[0];
        while (tensor != InputTensor)
        {
            if (blocks.Count > 8) throw new InvalidDataException($"More than 8 residual blocks before {InputTensor}.");
            var block = ReadBlock(producers, tensor);
            blocks.Insert(0, block);
            tensor = block.Input;
        }

        if (blocks.Count == 0) throw new InvalidDataException($"No residual block between {InputTensor} and {PoolTensor}.");
        return new LastStageGraph(blocks);
    }

    // Relu(Add(BN(Conv(Relu(BN(Conv(x))))), shortcut)) where shortcut is x or BN(Conv(x)).
    private static ResidualBlock ReadBlock(Dictionary<string, NodeProto> producers, string output)
    {
        var relu = Producer(producers, output, "Relu");
        var add = Producer(producers, relu.Input[0], "Add");
        var (mainSide, otherSide) = IsMainPath(producers, add.Input[0]) ? (add.Input[0], add.Input[1]) : (add.Input[1], add.Input[0]);
        var second = ConvolutionBehind(producers, mainSide);
        var innerRelu = Producer(producers, second.Input, "Relu");
        var first = ConvolutionBehind(producers, innerRelu.Input[0]);
        var input = first.Input;
        ConvBatchNorm? shortcut = null;
        if (otherSide != input)
        {
            shortcut = ConvolutionBehind(producers, otherSide);
            if (shortcut.Input != input)
                throw new InvalidDataException($"The shortcut of the block ending in {output} does not start at {input}.");
        }

        return new ResidualBlock(input, first, second, shortcut, output);
    }

    // The main path's second convolution reads a ReLU; a projection shortcut reads the block input.
    private static bool IsMainPath(Dictionary<string, NodeProto> producers, string tensor) =>
        producers.TryGetValue(tensor, out var bn) && bn.OpType == "BatchNormalization" &&
        producers.TryGetValue(bn.Input[0], out var conv) && conv.OpType == "Conv" &&
        producers.TryGetValue(conv.Input[0], out var before) && before.OpType == "Relu" &&
        producers.TryGetValue(before.Input[0], out var beforeRelu) && beforeRelu.OpType == "BatchNormalization";

    private static ConvBatchNorm ConvolutionBehind(Dictionary<string, NodeProto> producers, string batchNormOutput)
    {
        var bn = Producer(producers, batchNormOutput, "BatchNormalization");
        var conv = Producer(producers, bn.Input[0], "Conv");
        if (conv.Input.Count != 2) throw new InvalidDataException($"Convolution {conv.Output[0]} has a bias; expected none.");
        var attributes = conv.Attribute.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var strides = attributes.TryGetValue("strides", out var s) ? s.Ints.Select(v => (int)v).ToArray() : [1, 1];
        var pads = attributes.TryGetValue("pads", out var p) ? p.Ints.Select(v => (int)v).ToArray() : [0, 0, 0, 0];
        if (strides.Length != 2 || strides[0] != strides[1] || pads.Length != 4)
            throw new InvalidDataException($"Convolution {conv.Output[0]} has strides [{string.Join(",", strides)}], pads [{string.Join(",", pads)}].");
        if (attributes.TryGetValue("group", out var g) && g.I != 1)
            throw new InvalidDataException($"Convolution {conv.Output[0]} is grouped.");
        var epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
        return new ConvBatchNorm(conv.Input[0], conv.Input[1], strides[0], new ConvPadding(pads[0], pads[1], pads[2], pads[3]),
            bn.Input[1], bn.Input[2], bn.Input[3], bn.Input[4], epsilon);
    }

    private static NodeProto Producer(Dictionary<string, NodeProto> producers, string tensor, string opType) =>
        producers.TryGetValue(tensor, out var node) && node.OpType == opType
            ? node
            : throw new InvalidDataException(
                $"{tensor} is produced by {(node is null ? "no node" : node.OpType)}, not {opType}: not the ResNet18 layout this tool reads.");
}
