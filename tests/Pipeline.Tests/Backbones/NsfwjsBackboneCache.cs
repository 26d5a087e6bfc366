using System.Security.Cryptography;
using Pipeline.Backbones.Nsfwjs;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// Extracted nsfwjs backbones shared by the tests of one run and kept between runs under
/// %TEMP%/pipeline-test-cache, keyed by the npm lock file and the extract script so that a change to either
/// re-extracts. model.json is the last file extract.cjs writes, so its presence marks a complete folder.
/// </summary>
public sealed class NsfwjsBackboneCache : IDisposable
{
    private readonly NsfwjsModelExtractor extractor;
    private readonly string cacheFolder;

    public NsfwjsBackboneCache()
    {
        extractor = new NsfwjsModelExtractor(NsfwjsToolsFolder.Locate());
        cacheFolder = Path.Combine(Path.GetTempPath(), "pipeline-test-cache", "nsfwjs", ContentKey(extractor.ToolsFolder));
    }

    public async Task<string> ModelJsonAsync(NsfwjsBackbone backbone, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(cacheFolder, backbone.ToString());
        var modelJson = Path.Combine(folder, "model.json");
        return File.Exists(modelJson)
            ? modelJson
            : await extractor.ExtractAsync(backbone, folder, cancellationToken);
    }

    private static string ContentKey(string toolsFolder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { "package-lock.json", "extract.cjs" })
        {
            hash.AppendData(File.ReadAllBytes(Path.Combine(toolsFolder, file)));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    public void Dispose() => extractor.Dispose();
}
