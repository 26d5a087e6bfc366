using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Pipeline.Backbones;
using Pipeline.Images;

namespace Pipeline.Bench;

/// <summary>
/// The reference every ratio is measured against: a plain ONNX Runtime <see cref="InferenceSession"/> on the backbone's
/// ONNX file, fed tensors made before the clock starts, with nothing of the pipeline around it.
/// </summary>
public sealed class BareBackboneSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BackboneDescriptor _descriptor;

    public BareBackboneSession(PreparedBackbone backbone, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(backbone.OnnxPath, nameof(backbone));
        _descriptor = backbone.Descriptor;
        _session = new InferenceSession(backbone.OnnxPath, options);
    }

    private int PixelsPerImage => 3 * _descriptor.InputSize * _descriptor.InputSize;

    /// <summary>Images/s over <paramref name="images"/> images run <paramref name="batchSize"/> at a time, after one warm-up call.</summary>
    public double ImagesPerSecond(int batchSize, int images)
    {
        var side = _descriptor.InputSize;
        var pixels = new float[batchSize * PixelsPerImage];
        // The values do not change the work of a convolutional network; a fixed pattern keeps runs equal.
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (i % 255) / 127.5f - 1f;
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [batchSize, 3, side, side]);
        using var run = new RunOptions();
        string[] inputNames = [_descriptor.InputName];
        string[] outputNames = [_descriptor.OutputName];
        OrtValue[] inputs = [input];

        _session.Run(run, inputNames, inputs, outputNames).Dispose();
        var calls = Math.Max(1, (images + batchSize - 1) / batchSize);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
            _session.Run(run, inputNames, inputs, outputNames).Dispose();
        return calls * batchSize / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Milliseconds of one image from encoded bytes to features: the pipeline's own decode and pixel writer, then one
    /// batch-1 call. This is what a predict request costs without HTTP, the head or any pooling.
    /// </summary>
    public double SingleImageMilliseconds(byte[] encoded)
    {
        var side = _descriptor.InputSize;
        var started = Stopwatch.GetTimestamp();
        var loaded = ImageLoader.Load(encoded, new ImageLoadOptions
        {
            TargetWidth = side, TargetHeight = side, ResizeMode = _descriptor.Resize,
        });
        var pixels = PixelTensorWriter.ToChw(loaded.Image ?? throw new InvalidDataException(loaded.Message), _descriptor.Scaling);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, side, side]);
        using var run = new RunOptions();
        using var outputs = _session.Run(run, [_descriptor.InputName], [input], [_descriptor.OutputName]);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public void Dispose() => _session.Dispose();
}
