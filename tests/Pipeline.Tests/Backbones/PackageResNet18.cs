using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Pipeline.Backbones;
using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Onnx;
using Pipeline.Images;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// The package's two graphs run unmodified, one image at a time, as ML.NET's DnnImageFeaturizer runs them:
/// ResNetPreprocess.onnx on planar RGB 0-255, then ResNet18.onnx. An intermediate tensor is read by publishing it as
/// the only output of a copy of the graph (ONNX Runtime returns graph outputs only); no node is changed.
/// </summary>
internal sealed class PackageResNet18 : IDisposable
{
    public const string FinalPool = "Pooling395_Output_0";
    private const int Side = ResNet18GraphRewriter.InputSize;

    private readonly ResNet18PackageFiles files = ResNet18PackageFiles.Locate();
    private readonly InferenceSession preprocess;
    private readonly Dictionary<string, InferenceSession> networks = new(StringComparer.Ordinal);
    private readonly string folder = RepositoryPaths.NewTempFolder("package-resnet18");

    public PackageResNet18() => preprocess = new InferenceSession(files.Preprocess);

    /// <summary>
    /// The image as the tests feed both sides: flattened onto white, fitted to 224x224 as the built-in Resnet18 fits it
    /// (its margin trimmed, then letterboxed), RGB 0-255 planes.
    /// </summary>
    public static float[] Pixels(byte[] encoded)
    {
        var resize = BackboneCatalog.BuiltIn.Single(d => d.Name == BackboneCatalog.Resnet18).Resize;
        var loaded = ImageLoader.Load(encoded, new ImageLoadOptions { ResizeMode = resize });
        return PixelTensorWriter.ToChw(loaded.Image ?? throw new InvalidOperationException(loaded.Message), PixelScaling.Raw);
    }

    /// <summary>The values of <paramref name="tensor"/> ([1, C, H, W] flattened) for one image.</summary>
    public float[] Run(float[] pixels, string tensor, int length)
    {
        var network = Network(tensor, length);
        using var prepared = preprocess.Run([NamedOnnxValue.CreateFromTensor("OriginalInput",
            new DenseTensor<float>(pixels, [1, 3, Side, Side]))]);
        var preprocessed = prepared.Single().AsTensor<float>();
        using var result = network.Run([NamedOnnxValue.CreateFromTensor("Input247", preprocessed)]);
        return result.Single().AsTensor<float>().ToArray();
    }

    private InferenceSession Network(string tensor, int length)
    {
        if (networks.TryGetValue(tensor, out var session)) return session;
        var path = files.Network;
        if (tensor != FinalPool)
        {
            path = Path.Combine(folder, $"{tensor}.onnx");
            OnnxFeatureTap.Expose(files.Network, tensor, length, path);
        }

        return networks[tensor] = new InferenceSession(path);
    }

    public void Dispose()
    {
        preprocess.Dispose();
        foreach (var session in networks.Values) session.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
