using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Cli;

/// <summary>
/// <c>evaluate</c> scores a trained model on a labelled folder it never saw. Its figures are checked against the
/// <c>predict</c> verb's image-by-image answers on the same files, a second path through the product (decoding each
/// file's bytes one at a time), with the macro accuracy computed here.
/// </summary>
[Trait("Kind", "Integration")]
[Collection(SampleDataCollection.Name)]
public class EvaluateCommandTests(SampleDataFixture sample)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Evaluate_on_unseen_images_agrees_with_predict_image_by_image()
    {
        var model = await TrainRawPixelsAsync("evaluate-model");
        var holdout = BuildHoldout("evaluate-holdout", perLabel: 6);

        var predict = await CliProcess.RunAsync(Timeout, "predict", "--model", model, "--image", holdout, "--data-root", sample.DataRoot);
        // A file that is no image is listed with its reason and counts nowhere.
        var broken = Path.Combine(holdout, "food", "broken.png");
        await File.WriteAllTextAsync(broken, "not a png");
        var evaluate = await CliProcess.RunAsync(Timeout, "evaluate", "--model", model, "--data", holdout, "--data-root", sample.DataRoot);

        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.True(predict.ExitCode == 0, predict.StandardError);
        using var report = JsonDocument.Parse(Assert.Single(evaluate.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var answers = predict.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (Actual: Path.GetFileName(Path.GetDirectoryName(e.GetProperty("image").GetString()))!,
                          Predicted: e.GetProperty("label").GetString()!))
            .ToList();
        var macro = answers.GroupBy(a => a.Actual).Average(g => g.Count(a => a.Predicted == a.Actual) / (double)g.Count());
        var micro = answers.Count(a => a.Predicted == a.Actual) / (double)answers.Count;

        Assert.Equal("RawPixels", report.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(answers.Count, report.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(macro, report.RootElement.GetProperty("macroAccuracy").GetDouble(), 1e-9);
        Assert.Equal(micro, report.RootElement.GetProperty("microAccuracy").GetDouble(), 1e-9);
        Assert.Equal(SampleDataFixture.Categories.Count, report.RootElement.GetProperty("perClass").GetArrayLength());
        var rejected = Assert.Single(report.RootElement.GetProperty("rejected").EnumerateArray());
        Assert.Equal(broken, rejected.GetProperty("path").GetString());
        Assert.False(string.IsNullOrWhiteSpace(rejected.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Evaluate_on_a_folder_with_a_label_the_model_does_not_know_names_it()
    {
        var model = await TrainRawPixelsAsync("evaluate-unknown-model");
        var holdout = BuildHoldout("evaluate-unknown-holdout", perLabel: 1);
        var unicorns = Directory.CreateDirectory(Path.Combine(holdout, "unicorns")).FullName;
        var office = Directory.GetFiles("/usr/share/openclipart/png/office", "*.png", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 256 * 1024).Order(StringComparer.Ordinal).First();
        File.Copy(office, Path.Combine(unicorns, "u.png"));

        var result = await CliProcess.RunAsync(Timeout, "evaluate", "--model", model, "--data", holdout, "--data-root", sample.DataRoot);

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
        Assert.Contains("unicorns", error);
        Assert.Equal("", result.StandardOutput.Trim());
    }

    private async Task<string> TrainRawPixelsAsync(string name)
    {
        var output = RepositoryPaths.NewTempFolder(name);
        var train = await CliProcess.RunAsync(Timeout, "train", "--data", sample.DataFolder, "--out", output,
            "--architectures", "RawPixels", "--no-combine", "--folds", "2", "--data-root", sample.DataRoot);
        Assert.True(train.ExitCode == 0, train.StandardError);
        return output;
    }

    /// <summary>Openclipart images of the sample's categories that the sample does not hold (by content), up to
    /// <paramref name="perLabel"/> each.</summary>
    private string BuildHoldout(string name, int perLabel)
    {
        var seen = Directory.GetFiles(sample.DataFolder, "*", SearchOption.AllDirectories).Select(Sha256).ToHashSet();
        var holdout = RepositoryPaths.NewTempFolder(name);
        foreach (var label in SampleDataFixture.Categories)
        {
            var target = Directory.CreateDirectory(Path.Combine(holdout, label)).FullName;
            var fresh = Directory.GetFiles(Path.Combine("/usr/share/openclipart/png", label), "*.png", SearchOption.AllDirectories)
                .Where(f => new FileInfo(f).Length < 256 * 1024)
                .Order(StringComparer.Ordinal)
                .Where(f => seen.Add(Sha256(f)))
                .Take(perLabel);
            // Numbered: files of one category's sub-folders may share a name.
            foreach (var (file, i) in fresh.Select((f, i) => (f, i)))
                File.Copy(file, Path.Combine(target, $"{i:D2}-{Path.GetFileName(file)}"));
        }

        return holdout;
    }

    private static string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
