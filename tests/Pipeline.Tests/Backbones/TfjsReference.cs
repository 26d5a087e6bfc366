using System.Runtime.InteropServices;
using Pipeline.Backbones.Nsfwjs;
using Pipeline.Backbones.Tfjs;

namespace Pipeline.Tests.Backbones;

/// <summary>The features TensorFlow.js computes for a model, via tools/nsfwjs/reference-features.cjs.</summary>
internal static class TfjsReference
{
    public static async Task<float[]> FeaturesAsync(string modelJsonPath, SyntheticImageBatch batch,
        IReadOnlyList<string> taps, TapPooling pooling, CancellationToken cancellationToken)
    {
        var toolsFolder = NsfwjsToolsFolder.Locate();
        var scratch = Directory.CreateTempSubdirectory("tfjs-reference-");
        try
        {
            var inputPath = Path.Combine(scratch.FullName, "input.f32");
            var outputPath = Path.Combine(scratch.FullName, "features.f32");
            await File.WriteAllBytesAsync(inputPath, MemoryMarshal.AsBytes(batch.Nhwc.AsSpan()).ToArray(),
                cancellationToken);
            await ChildProcess.RunAsync("node",
                [
                    Path.Combine(toolsFolder, "reference-features.cjs"), modelJsonPath, inputPath,
                    batch.Count.ToString(), batch.Size.ToString(), batch.Size.ToString(), string.Join(',', taps),
                    pooling == TapPooling.AverageAndMax ? "averageandmax" : "average", outputPath,
                ],
                toolsFolder, cancellationToken);
            return MemoryMarshal.Cast<byte, float>(await File.ReadAllBytesAsync(outputPath, cancellationToken)).ToArray();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
