using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Pipeline.Backbones;

namespace Pipeline.Training;

/// <summary>Versions of what shaped a model, recorded in its lineage.</summary>
public static class PackageVersions
{
    public static IReadOnlyDictionary<string, string> Current { get; } = new Dictionary<string, string>
    {
        ["Microsoft.ML"] = VersionOf(typeof(MLContext)),
        ["Microsoft.ML.OnnxRuntime"] = VersionOf(typeof(InferenceSession)),
        ["SkiaSharp"] = VersionOf(typeof(SkiaSharp.SKBitmap)),
        ["Pipeline"] = VersionOf(typeof(PackageVersions)),
        ["nsfwjs"] = BackbonePreparers.NsfwjsPackage,
    };

    private static string VersionOf(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? type.Assembly.GetName().Version?.ToString() ?? "unknown";
}
