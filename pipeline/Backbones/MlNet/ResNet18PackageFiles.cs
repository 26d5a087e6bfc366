using Pipeline.Storage;

namespace Pipeline.Backbones.MlNet;

/// <summary>
/// The two ONNX graphs of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>: the package's
/// <c>build/*.props</c> copies them to the output folder as <c>DnnImageModels/</c>, and restore leaves them in the
/// NuGet package folder. Both places are tried, so a host that references the package directly, one that only
/// references this library, and a test run all find them with no download.
/// </summary>
/// <param name="Preprocess"><c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>: RGB 0-255 to BGR minus the mean image.</param>
/// <param name="Network"><c>ResNet18Onnx/ResNet18.onnx</c>: the ImageNet ResNet18 (CNTK export, opset 8, batch 1).</param>
public sealed record ResNet18PackageFiles(string Preprocess, string Network)
{
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    public const string PackageVersion = "0.23.1";

    private const string PreprocessRelative = "ResNetPrepOnnx/ResNetPreprocess.onnx";
    private const string NetworkRelative = "ResNet18Onnx/ResNet18.onnx";

    // Pinned so that a different package version (or a damaged file) is caught before it silently changes features.
    private const string PreprocessSha256 = "84bf8def78d0befaa3f6e73745d57d7016c6a192ead76f79686bd438c1047004";
    private const string NetworkSha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";

    /// <summary>For lineage: package, version and the files inside it.</summary>
    public static string SourceDescription =>
        $"NuGet {PackageId} {PackageVersion} (DnnImageModels/{NetworkRelative} + {PreprocessRelative})";

    /// <summary>The folders searched, in order: next to the running assemblies, then the NuGet package folder.</summary>
    public static IEnumerable<string> CandidateFolders()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        yield return Path.Combine(packages, PackageId.ToLowerInvariant(), PackageVersion, "tools", "DnnImageModels");
    }

    /// <summary>Finds both files in the first folder that holds them.</summary>
    /// <exception cref="PipelineException">Neither folder holds them: the message says how to get the package.</exception>
    public static ResNet18PackageFiles Locate()
    {
        var searched = CandidateFolders().ToList();
        foreach (var folder in searched)
        {
            var preprocess = Path.Combine(folder, PreprocessRelative);
            var network = Path.Combine(folder, NetworkRelative);
            if (File.Exists(preprocess) && File.Exists(network))
                return new ResNet18PackageFiles(preprocess, network);
        }

        throw new PipelineException(
            $"The ResNet18 graphs of NuGet {PackageId} {PackageVersion} were not found in {string.Join(" or ", searched)}. " +
            "Run `dotnet restore` (the Pipeline project references the package), or reference the package from the host.");
    }

    /// <summary>Checks both files against the pinned SHA-256 of version <see cref="PackageVersion"/>.</summary>
    /// <exception cref="PipelineException">A file differs from the pinned one.</exception>
    public async Task VerifyAsync(CancellationToken ct)
    {
        await VerifyAsync(Preprocess, PreprocessSha256, ct);
        await VerifyAsync(Network, NetworkSha256, ct);
    }

    private static async Task VerifyAsync(string path, string expected, CancellationToken ct)
    {
        var actual = await AtomicFile.Sha256Async(path, ct);
        if (actual != expected)
            throw new PipelineException(
                $"{path} has SHA-256 {actual}, not the {expected} of {PackageId} {PackageVersion}; restore that version.");
    }
}
