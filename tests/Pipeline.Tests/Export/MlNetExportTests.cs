using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;
using Pipeline.Export;
using Pipeline.Registry;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Export;

/// <summary>
/// The ML.NET export, downloaded from the service and run by the sample app (a plain ML.NET program), answers as the
/// service does.
/// </summary>
[Collection(ExportCollection.Name)]
[Trait("Kind", "Integration")]
public class MlNetExportTests(ExportFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_sample_app_running_the_mlnet_export_agrees_with_the_service_on_opaque_images()
    {
        var dataRoot = RepositoryPaths.NewTempFolder("mlnet-export");
        var registered = await new ModelRegistry(Path.Combine(dataRoot, "models")).RegisterAsync(fixture.MobilenetModel);
        await using var service = await InProcessService.StartAsync(dataRoot, new Dictionary<string, string?> { ["Pipeline:RetrainCron"] = "" });

        using var response = await service.Client.GetAsync($"/api/models/{registered.Version}/export?format=mlnet");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"MobilenetV2-v{registered.Version}.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var zip = Path.Combine(RepositoryPaths.NewTempFolder("mlnet-zip"), "model.zip");
        await File.WriteAllBytesAsync(zip, await response.Content.ReadAsByteArrayAsync());

        await AssertSampleAgreesAsync(zip, registered.Folder);
    }

    [Fact]
    public async Task The_sample_app_running_the_mlnet_export_of_a_combined_model_agrees_with_the_service()
    {
        var zip = Path.Combine(RepositoryPaths.NewTempFolder("mlnet-combined"), "combined.zip");

        await ModelExporter.ExportAsync(fixture.CombinedModel, ModelExportFormat.MlNet, zip);

        // Each backbone's ONNX graph travels inside the zip: the sample app gets the zip alone.
        using (var archive = ZipFile.OpenRead(zip))
            Assert.Equal(2, archive.Entries.Count(e => e.FullName.EndsWith("OnnxModel", StringComparison.Ordinal)));
        await AssertSampleAgreesAsync(zip, fixture.CombinedModel);
    }

    private async Task AssertSampleAgreesAsync(string zip, string modelFolder)
    {
        var answers = await MlNetConsumerApp.RunAsync(zip, fixture.Images, TimeSpan.FromMinutes(10));

        Assert.Equal(fixture.Images.Count, answers.Count);
        using var reference = await ClassifierModel.LoadAsync(modelFolder, null);
        var agreed = 0;
        var disagreements = new List<string>();
        foreach (var answer in answers)
        {
            var expected = reference.Predict(await File.ReadAllBytesAsync(answer.Image));
            if (expected.Label == answer.Label) agreed++;
            else disagreements.Add($"{Path.GetFileName(answer.Image)}: service {expected.Label} {expected.Score:0.000}, ML.NET {answer.Label} {answer.Score:0.000}");
        }

        var agreement = (double)agreed / answers.Count;
        output.WriteLine($"{reference.Manifest.Architecture}: top-1 agreement {agreed}/{answers.Count}; {string.Join("; ", disagreements)}");
        Assert.True(agreement >= 0.99, $"top-1 agreement {agreement:P1} on {answers.Count} images:\n{string.Join('\n', disagreements)}");
    }

    [Fact]
    public async Task Export_endpoint_answers_problem_details_for_an_unknown_version_or_format()
    {
        var dataRoot = RepositoryPaths.NewTempFolder("export-errors");
        var registered = await new ModelRegistry(Path.Combine(dataRoot, "models")).RegisterAsync(fixture.RawPixelsModel);
        await using var service = await InProcessService.StartAsync(dataRoot, new Dictionary<string, string?> { ["Pipeline:RetrainCron"] = "" });

        using var unknownVersion = await service.Client.GetAsync($"/api/models/{registered.Version + 1}/export?format=onnx");
        using var unknownFormat = await service.Client.GetAsync($"/api/models/{registered.Version}/export?format=tflite");
        using var onnx = await service.Client.GetAsync($"/api/models/{registered.Version}/export?format=onnx");

        Assert.Equal(HttpStatusCode.NotFound, unknownVersion.StatusCode);
        Assert.Equal("application/problem+json", unknownVersion.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, unknownFormat.StatusCode);
        var problem = JsonDocument.Parse(await unknownFormat.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("format=onnx", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, onnx.StatusCode);
        Assert.Equal($"RawPixels-v{registered.Version}.onnx", onnx.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }
}
