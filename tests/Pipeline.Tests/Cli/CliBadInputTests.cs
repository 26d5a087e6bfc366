using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>Every bad input gives one line on standard error starting with "error:" and a non-zero exit code.</summary>
[Trait("Kind", "Integration")]
public class CliBadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dataRoot = RepositoryPaths.SharedDataRoot;

    private static void AssertOneLineError(CliProcess.Result result, string expectedFragment)
    {
        Assert.NotEqual(0, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("error:"));
        Assert.Contains(expectedFragment, error);
    }

    [Fact]
    public async Task Train_on_a_missing_folder_says_so()
    {
        var missing = Path.Combine(RepositoryPaths.NewTempFolder("missing"), "nope");

        var result = await CliProcess.RunAsync(Timeout, "train", "--data", missing, "--out", missing + "-out", "--data-root", _dataRoot);

        AssertOneLineError(result, "does not exist");
    }

    [Fact]
    public async Task Train_with_a_single_label_asks_for_two()
    {
        var data = RepositoryPaths.NewTempFolder("single-label");
        Directory.CreateDirectory(Path.Combine(data, "only"));
        foreach (var file in Directory.GetFiles("/usr/share/openclipart/png/food", "*.png", SearchOption.AllDirectories).Order().Take(6))
            File.Copy(file, Path.Combine(data, "only", Path.GetFileName(file)), overwrite: true);

        var result = await CliProcess.RunAsync(Timeout, "train", "--data", data, "--out", data + "-out",
            "--architectures", "RawPixels", "--data-root", _dataRoot);

        AssertOneLineError(result, "at least two labels");
    }

    [Fact]
    public async Task Train_on_a_folder_without_readable_images_says_so()
    {
        var data = RepositoryPaths.NewTempFolder("no-images");
        Directory.CreateDirectory(Path.Combine(data, "cats"));
        await File.WriteAllTextAsync(Path.Combine(data, "cats", "notes.jpg"), "not an image");
        await File.WriteAllBytesAsync(Path.Combine(data, "cats", "empty.png"), []);

        var result = await CliProcess.RunAsync(Timeout, "train", "--data", data, "--out", data + "-out",
            "--architectures", "RawPixels", "--data-root", _dataRoot);

        AssertOneLineError(result, "No readable images");
    }

    [Theory]
    [InlineData("1,ten")]
    [InlineData("-1")]
    [InlineData(",")]
    public async Task Train_with_a_bad_l2_grid_says_so(string grid)
    {
        var data = RepositoryPaths.NewTempFolder("bad-l2");

        var result = await CliProcess.RunAsync(Timeout, "train", "--data", data, "--out", data + "-out",
            "--architectures", "RawPixels", "--l2", grid, "--data-root", _dataRoot);

        AssertOneLineError(result, "--l2");
    }

    [Fact]
    public async Task Train_with_an_unknown_architecture_lists_the_known_ones()
    {
        var data = RepositoryPaths.NewTempFolder("unknown-arch");

        var result = await CliProcess.RunAsync(Timeout, "train", "--data", data, "--out", data + "-out",
            "--architectures", "AlexNet", "--data-root", _dataRoot);

        AssertOneLineError(result, "Unknown architecture 'AlexNet'. Known:");
        Assert.Contains("MobilenetV2", result.StandardError);
    }

    [Fact]
    public async Task Predict_with_a_corrupt_model_folder_says_what_is_wrong()
    {
        var model = RepositoryPaths.NewTempFolder("corrupt-model");
        await File.WriteAllTextAsync(Path.Combine(model, "model.json"), "{ this is not json");
        await File.WriteAllBytesAsync(Path.Combine(model, "head.zip"), [1, 2, 3]);
        var image = Directory.GetFiles("/usr/share/openclipart/png/food", "*.png", SearchOption.AllDirectories).Order().First();

        var result = await CliProcess.RunAsync(Timeout, "predict", "--model", model, "--image", image, "--data-root", _dataRoot);

        AssertOneLineError(result, "is corrupt");
    }

    [Fact]
    public async Task Predict_with_a_folder_that_is_not_a_model_says_so()
    {
        var model = RepositoryPaths.NewTempFolder("not-a-model");
        var image = Directory.GetFiles("/usr/share/openclipart/png/food", "*.png", SearchOption.AllDirectories).Order().First();

        var result = await CliProcess.RunAsync(Timeout, "predict", "--model", model, "--image", image, "--data-root", _dataRoot);

        AssertOneLineError(result, "is not a model folder");
    }
}
