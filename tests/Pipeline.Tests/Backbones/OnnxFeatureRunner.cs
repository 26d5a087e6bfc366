using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Pipeline.Backbones.Tfjs;
using Xunit;

namespace Pipeline.Tests.Backbones;

/// <summary>Runs a converted backbone with ONNX Runtime the way the pipeline will: NCHW in, "features" out.</summary>
internal static class OnnxFeatureRunner
{
    public static float[] Run(string onnxPath, SyntheticImageBatch batch, int expectedFeatureLength)
    {
        using var session = new InferenceSession(onnxPath);
        Assert.Equal(TfjsToOnnxConverter.InputName, Assert.Single(session.InputMetadata).Key);
        Assert.Equal(TfjsToOnnxConverter.OutputName, Assert.Single(session.OutputMetadata).Key);

        var input = new DenseTensor<float>(batch.Nchw, [batch.Count, 3, batch.Size, batch.Size]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(TfjsToOnnxConverter.InputName, input)]);
        var features = Assert.Single(results).AsTensor<float>();
        Assert.Equal([batch.Count, expectedFeatureLength], features.Dimensions.ToArray());
        return features.ToArray();
    }
}
