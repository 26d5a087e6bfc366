using Pipeline.Samples;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Backbones;

/// <summary>Real clip art from Debian's openclipart-png, one per category (mostly transparent: flattened onto white).</summary>
internal static class ResNet18TestImages
{
    public static IReadOnlyList<byte[]> Load(int count)
    {
        string[] categories = ["animals", "food", "people", "transportation", "buildings", "plants"];
        var folder = RepositoryPaths.NewTempFolder("resnet18-images");
        try
        {
            OpenclipartSample.Build(folder, perLabel: 1, categories[..count]);
            return Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
