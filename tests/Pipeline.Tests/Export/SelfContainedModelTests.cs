using System.Text.Json;
using Pipeline.Registry;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Export;

/// <summary>A model folder carries its backbone: copied anywhere, it predicts with nothing else.</summary>
[Collection(ExportCollection.Name)]
[Trait("Kind", "Integration")]
public class SelfContainedModelTests(ExportFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_model_folder_copied_to_an_empty_directory_predicts_with_the_cli_and_no_data_root()
    {
        var copy = CopyOf(fixture.MobilenetModel);
        var absentRoot = Path.Combine(RepositoryPaths.NewTempFolder("no-data-root"), "absent");
        var images = fixture.Images.Where((_, i) => i % 17 == 0).ToArray();

        var result = await CliProcess.RunAsync(Timeout, ["predict", "--model", copy, "--data-root", absentRoot, "--image", .. images]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.False(Directory.Exists(absentRoot), "predict created the data root it does not need");
        using var reference = await ClassifierModel.LoadAsync(fixture.MobilenetModel,
            PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot).Backbones);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(images.Length, lines.Length);
        foreach (var (line, image) in lines.Zip(images))
        {
            var json = JsonDocument.Parse(line).RootElement;
            var expected = reference.Predict(await File.ReadAllBytesAsync(image));
            Assert.Equal(image, json.GetProperty("image").GetString());
            Assert.Equal(expected.Label, json.GetProperty("label").GetString());
            Assert.Equal(expected.Score, json.GetProperty("score").GetSingle(), 1e-5f);
        }
    }

    [Fact]
    public async Task A_model_folder_with_a_tampered_backbone_is_refused()
    {
        var copy = CopyOf(fixture.MobilenetModel);
        var backbone = Path.Combine(copy, ModelArtifact.BackboneFileName);
        var bytes = await File.ReadAllBytesAsync(backbone);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(backbone, bytes);

        var result = await CliProcess.RunAsync(Timeout, "predict", "--model", copy, "--image", fixture.Images[0]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"is corrupt: its {ModelArtifact.BackboneFileName} has SHA-256", result.StandardError);
    }

    [Fact]
    public async Task A_folder_written_before_models_carried_their_backbone_still_loads_through_the_store()
    {
        var copy = CopyOf(fixture.MobilenetModel);
        File.Delete(Path.Combine(copy, ModelArtifact.BackboneFileName));
        File.Delete(Path.Combine(copy, ModelArtifact.BackboneDescriptorFileName));
        var image = fixture.Images[^1];

        var legacy = await CliProcess.RunAsync(Timeout, "predict", "--model", copy, "--image", image,
            "--data-root", RepositoryPaths.SharedDataRoot);
        var selfContained = await CliProcess.RunAsync(Timeout, "predict", "--model", fixture.MobilenetModel, "--image", image);

        Assert.True(legacy.ExitCode == 0, legacy.StandardError);
        Assert.Equal(selfContained.StandardOutput, legacy.StandardOutput);
    }

    [Fact]
    public async Task Predict_accepts_the_folder_train_wrote_as_well_as_its_model_subfolder()
    {
        var output = Path.Combine(RepositoryPaths.NewTempFolder("train-out"), "out");
        var trained = await CliProcess.RunAsync(Timeout, "train", "--data", fixture.ImagesFolder, "--out", output,
            "--architectures", "RawPixels", "--data-root", RepositoryPaths.SharedDataRoot);
        Assert.True(trained.ExitCode == 0, trained.StandardError);
        var images = fixture.Images.Take(3).ToArray();

        var fromOut = await CliProcess.RunAsync(Timeout, ["predict", "--model", output, "--image", .. images]);
        var fromModel = await CliProcess.RunAsync(Timeout, ["predict", "--model", Path.Combine(output, "model"), "--image", .. images]);

        Assert.True(fromOut.ExitCode == 0, fromOut.StandardError);
        Assert.Equal(3, fromOut.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(fromModel.StandardOutput, fromOut.StandardOutput);
    }

    internal static string CopyOf(string folder)
    {
        var copy = Path.Combine(RepositoryPaths.NewTempFolder("copied-model"), "model");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(folder))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }
}
