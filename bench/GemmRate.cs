using System.Diagnostics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.Bench;

/// <summary>
/// The machine's dense matrix-multiply rate as ONNX Runtime reaches it: a square MatMul model built in memory, run
/// with the same threading as the backbones. It is the ceiling convolutions (lowered to GEMM by ORT's MLAS) can reach.
/// </summary>
public sealed class GemmRate : IDisposable
{
    private readonly int _size;
    private readonly InferenceSession _session;
    private readonly OrtValue _input;

    public GemmRate(int size, int intraOpThreads)
    {
        _size = size;
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
        };
        _session = new InferenceSession(BuildModel(size), options);
        var a = new float[size * size];
        for (var i = 0; i < a.Length; i++) a[i] = (i % 17) * 0.01f;
        _input = OrtValue.CreateTensorValueFromMemory(a, [size, size]);
        Run(); // ORT's lazy initialisation
    }

    /// <summary>Multiply-accumulates per second of the square MatMul: the best single run within <paramref name="duration"/>.</summary>
    public double MacsPerSecond(TimeSpan duration)
    {
        var macs = (double)_size * _size * _size;
        var best = 0.0;
        var clock = Stopwatch.StartNew();
        do
        {
            var started = Stopwatch.GetTimestamp();
            Run();
            best = Math.Max(best, macs / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        while (clock.Elapsed < duration);
        return best;
    }

    private void Run()
    {
        using var run = new RunOptions();
        _session.Run(run, ["a"], [_input], ["c"]).Dispose();
    }

    public void Dispose()
    {
        _input.Dispose();
        _session.Dispose();
    }

    private static byte[] BuildModel(int size)
    {
        var weights = new float[size * size];
        for (var i = 0; i < weights.Length; i++) weights[i] = ((i * 31) % 13) * 0.01f;
        var b = new TensorProto
        {
            Name = "b",
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(weights.AsSpan())),
        };
        b.Dims.AddRange([size, size]);
        var node = new NodeProto { OpType = "MatMul", Name = "matmul" };
        node.Input.AddRange(["a", "b"]);
        node.Output.Add("c");
        var graph = new GraphProto { Name = "gemm" };
        graph.Node.Add(node);
        graph.Initializer.Add(b);
        graph.Input.Add(Matrix("a", size));
        graph.Output.Add(Matrix("c", size));
        var model = new ModelProto { IrVersion = 7, ProducerName = "Pipeline bench", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Matrix(string name, int size)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
