using Microsoft.ML.OnnxRuntime;
using Pipeline.Backbones;

namespace Pipeline.Features;

/// <summary>
/// One ONNX Runtime session over a prepared backbone. InferenceSession.Run is thread-safe, so a single instance is
/// shared by every caller (training featurisation and concurrent predict requests alike).
/// </summary>
public sealed class BackboneSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public BackboneSession(PreparedBackbone backbone, BackboneSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(backbone.OnnxPath, nameof(backbone));
        Descriptor = backbone.Descriptor;
        using var sessionOptions = CreateSessionOptions(options);
        _session = new InferenceSession(backbone.OnnxPath, sessionOptions);
        _inputNames = [Descriptor.InputName];
        _outputNames = [Descriptor.OutputName];
    }

    public BackboneDescriptor Descriptor { get; }

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
    /// Runs <paramref name="count"/> images laid out as NCHW in <paramref name="pixels"/> and writes count x
    /// FeatureLength floats to <paramref name="features"/>.
    /// </summary>
    public void Run(float[] pixels, int count, Span<float> features)
    {
        var side = Descriptor.InputSize;
        var expected = (long)count * 3 * side * side;
        if (pixels.Length < expected)
            throw new ArgumentException($"Need {expected} floats for {count} images, got {pixels.Length}.", nameof(pixels));

        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            pixels.AsMemory(0, (int)expected), [count, 3, side, side]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, [input], _outputNames);
        var result = outputs[0].GetTensorDataAsSpan<float>();
        if (result.Length != count * Descriptor.FeatureLength)
            throw new InvalidOperationException(
                $"{Descriptor.Name} returned {result.Length} floats for {count} images; expected {count} x {Descriptor.FeatureLength}.");
        result.CopyTo(features);
    }

    public void Dispose() => _session.Dispose();
}
