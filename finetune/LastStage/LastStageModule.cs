using System.Runtime.InteropServices;
using Pipeline.Backbones.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.FineTuning.LastStage;

/// <summary>
/// The last ResNet18 stage as a TorchSharp module, weights taken from the ONNX initializers: stage-3 activations
/// [N, 256, 14, 14] in, the pooled 512 values of <see cref="LastStageGraph.PoolTensor"/> out.
/// </summary>
/// <remarks>
/// Batch normalisation stays in inference form (the package's running mean and variance, fixed): with a few dozen
/// images per label, batch statistics would be noisy and would no longer match what ONNX Runtime computes when the
/// tuned graph serves. Its scale and shift are tuned with the convolutions. Everything is <c>mm</c>-free on purpose:
/// the convolutions and pooling are TorchSharp's functional ops, whose shape errors throw rather than abort.
/// </remarks>
internal sealed class LastStageModule : nn.Module<Tensor, Tensor>
{
    private readonly LastStageGraph _graph;
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    public LastStageModule(LastStageGraph graph, GraphProto network) : base(nameof(LastStageModule))
    {
        _graph = graph;
        var initializers = network.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var convolution in Convolutions)
        {
            foreach (var name in new[] { convolution.Weight, convolution.Scale, convolution.Bias })
                _tensors[name] = AddParameter(name, TensorOf(initializers, name));
            foreach (var name in new[] { convolution.Mean, convolution.Variance })
                _tensors[name] = AddBuffer(name, TensorOf(initializers, name));
        }
    }

    /// <summary>Every tuned and fixed tensor by initializer name, for writing back.</summary>
    public IReadOnlyDictionary<string, Tensor> TensorsByInitializer => _tensors;

    private IEnumerable<ConvBatchNorm> Convolutions =>
        _graph.Blocks.SelectMany(b => b.Shortcut is null ? new[] { b.First, b.Second } : [b.First, b.Second, b.Shortcut]);

    /// <summary>The output of every block, in order; the last is the map the final pool reads.</summary>
    public List<Tensor> BlockOutputs(Tensor stage3)
    {
        var outputs = new List<Tensor>();
        var x = stage3;
        foreach (var block in _graph.Blocks)
        {
            var main = ConvBn(block.Second, nn.functional.relu(ConvBn(block.First, x)));
            var shortcut = block.Shortcut is null ? x : ConvBn(block.Shortcut, x);
            x = nn.functional.relu(main + shortcut);
            outputs.Add(x);
        }

        return outputs;
    }

    /// <summary>The final average pool: [N, 512].</summary>
    public override Tensor forward(Tensor stage3) => BlockOutputs(stage3)[^1].mean([2, 3]);

    private Tensor ConvBn(ConvBatchNorm c, Tensor x)
    {
        var p = c.Padding;
        var symmetric = p.Top == p.Bottom && p.Left == p.Right;
        // torch pads symmetrically inside conv2d; the CNTK strided convolution pads top and left only.
        var input = symmetric ? x : nn.functional.pad(x, [p.Left, p.Right, p.Top, p.Bottom]);
        long[] padding = symmetric ? [p.Top, p.Left] : [0, 0];
        var convolved = nn.functional.conv2d(input, _tensors[c.Weight], strides: [c.Stride, c.Stride], padding: padding);
        return nn.functional.batch_norm(convolved, _tensors[c.Mean], _tensors[c.Variance],
            _tensors[c.Scale], _tensors[c.Bias], training: false, eps: c.Epsilon);
    }

    private Tensor AddParameter(string name, Tensor value)
    {
        var parameter = new TorchSharp.Modules.Parameter(value, requires_grad: true);
        register_parameter(Safe(name), parameter);
        return parameter;
    }

    private Tensor AddBuffer(string name, Tensor value)
    {
        register_buffer(Safe(name), value);
        return value;
    }

    // Module names may not contain dots; the package's initializer names do not, but stay safe.
    private static string Safe(string name) => name.Replace('.', '_');

    private static Tensor TensorOf(Dictionary<string, TensorProto> initializers, string name)
    {
        if (!initializers.TryGetValue(name, out var proto))
            throw new InvalidDataException($"The graph has no initializer {name}.");
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"Initializer {name} is not float32.");
        var values = proto.FloatData.Count > 0
            ? proto.FloatData.ToArray()
            : MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray();
        return tensor(values, proto.Dims.ToArray());
    }
}
