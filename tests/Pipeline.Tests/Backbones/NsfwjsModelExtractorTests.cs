using Pipeline.Backbones.Nsfwjs;
using Xunit;

namespace Pipeline.Tests.Backbones;

[Trait("Kind", "Unit")]
public sealed class NsfwjsModelExtractorTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("nsfwjs-extractor-");

    [Fact]
    public void Tools_folder_is_found_by_walking_up_from_the_test_binaries()
    {
        var folder = NsfwjsToolsFolder.Locate();

        Assert.True(File.Exists(Path.Combine(folder, "package.json")));
        Assert.True(File.Exists(Path.Combine(folder, "extract.cjs")));
        Assert.Equal(folder, NsfwjsToolsFolder.Locate(folder));
    }

    [Fact]
    public void Explicit_tools_folder_without_package_json_is_rejected()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => NsfwjsToolsFolder.Locate(scratch.FullName));

        Assert.Contains(scratch.FullName, error.Message);
    }

    [Fact]
    public async Task Missing_node_is_reported_with_the_command_and_how_to_fix_it()
    {
        var extractor = new NsfwjsModelExtractor(NsfwjsToolsFolder.Locate(), nodeExecutable: "/no/such/node");

        var error = await Assert.ThrowsAsync<ExternalToolException>(() =>
            extractor.ExtractAsync(NsfwjsBackbone.MobileNetV2, scratch.FullName, CancellationToken.None));

        Assert.Contains("/no/such/node", error.Message);
        Assert.Contains("PATH", error.Message);
    }

    [Fact]
    public async Task Missing_packages_are_installed_with_npm_ci_and_npm_failures_are_reported()
    {
        // A tools folder without node_modules, and an npm that cannot start: the install step must be attempted and
        // its failure must name npm.
        var tools = scratch.CreateSubdirectory("tools");
        foreach (var file in new[] { "package.json", "package-lock.json", "extract.cjs" })
        {
            File.Copy(Path.Combine(NsfwjsToolsFolder.Locate(), file), Path.Combine(tools.FullName, file));
        }

        var extractor = new NsfwjsModelExtractor(tools.FullName, npmExecutable: "/no/such/npm");

        var error = await Assert.ThrowsAsync<ExternalToolException>(() =>
            extractor.ExtractAsync(NsfwjsBackbone.InceptionV3, Path.Combine(scratch.FullName, "out"), CancellationToken.None));

        Assert.Contains("/no/such/npm ci --ignore-scripts", error.Message);
    }

    [Fact]
    public async Task Failing_node_script_surfaces_its_stderr()
    {
        // Extracting into a path below a regular file makes extract.cjs fail inside node.
        var blocker = Path.Combine(scratch.FullName, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "");
        var extractor = new NsfwjsModelExtractor(NsfwjsToolsFolder.Locate());

        var error = await Assert.ThrowsAsync<ExternalToolException>(() =>
            extractor.ExtractAsync(NsfwjsBackbone.MobileNetV2, Path.Combine(blocker, "model"), CancellationToken.None));

        Assert.Contains("exited with code 1", error.Message);
        Assert.Contains("extract.cjs:", error.Message);
    }

    public void Dispose() => scratch.Delete(recursive: true);
}
