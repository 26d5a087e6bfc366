using Microsoft.ML.OnnxRuntime;
using Pipeline.Backbones;

namespace Pipeline.Features;

/// <summary>
/// One ONNX Runtime session over a prepared backbone, or over several merged into one model that shares their common
/// layers (<see cref="SharedTrunk"/>). InferenceSession.Run is thread-safe, so a single instance is shared by every
/// caller (training featurisation and concurrent predict requests alike).
/// </summary>
public sealed class BackboneSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly IReadOnlyList<BackboneDescriptor> _descriptors;
    private readonly int _featureLength;

    public BackboneSession(PreparedBackbone backbone, BackboneSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(backbone.OnnxPath, nameof(backbone));
        _descriptors = [backbone.Descriptor];
        _featureLength = backbone.Descriptor.FeatureLength;
        using var sessionOptions = CreateSessionOptions(options);
        _session = new InferenceSession(backbone.OnnxPath, sessionOptions);
        _inputNames = [backbone.Descriptor.InputName];
        _outputNames = [backbone.Descriptor.OutputName];
    }

    /// <summary>A merged model with one output per backbone, named by <paramref name="outputNames"/> in order.</summary>
    internal BackboneSession(byte[] mergedModel, string inputName, IReadOnlyList<string> outputNames,
        IReadOnlyList<BackboneDescriptor> descriptors, BackboneSessionOptions options)
    {
        _descriptors = descriptors;
        _featureLength = descriptors.Sum(d => d.FeatureLength);
        using var sessionOptions = CreateSessionOptions(options);
        _session = new InferenceSession(mergedModel, sessionOptions);
        _inputNames = [inputName];
        _outputNames = [.. outputNames];
    }

    /// <summary>Settings shared with the benchmark's bare-session reference, so both sides run the same way.</summary>
    public static SessionOptions CreateSessionOptions(BackboneSessionOptions options)
    {
        var session = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.EffectiveIntraOpThreads,
            EnableMemoryPattern = true,
        };
        // Spinning is ORT's default; the entry is only written to turn it off (writing it twice logs a warning).
        if (!options.IntraOpSpinning) session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return session;
    }

    /// <summary>
    /// Runs <paramref name="count"/> images laid out as NCHW in <paramref name="pixels"/> and writes count rows to
    /// <paramref name="features"/>, each row every backbone's features in order.
    /// </summary>
    public void Run(float[] pixels, int count, Span<float> features)
    {
        var side = _descriptors[0].InputSize;
        var expected = (long)count * 3 * side * side;
        if (pixels.Length < expected)
            throw new ArgumentException($"Need {expected} floats for {count} images, got {pixels.Length}.", nameof(pixels));

        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            pixels.AsMemory(0, (int)expected), [count, 3, side, side]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, [input], _outputNames);
        var offset = 0;
        for (var b = 0; b < _descriptors.Count; b++)
        {
            var descriptor = _descriptors[b];
            var length = descriptor.FeatureLength;
            var result = outputs[b].GetTensorDataAsSpan<float>();
            if (result.Length != count * length)
                throw new InvalidOperationException(
                    $"{descriptor.Name} returned {result.Length} floats for {count} images; expected {count} x {length}.");
            if (_descriptors.Count == 1)
            {
                result.CopyTo(features);
                return;
            }

            for (var i = 0; i < count; i++)
                result.Slice(i * length, length).CopyTo(features.Slice(i * _featureLength + offset, length));
            offset += length;
        }
    }

    public void Dispose() => _session.Dispose();
}
