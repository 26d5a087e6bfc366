using System.Text.Json.Nodes;
using Pipeline.Registry;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

/// <summary>
/// The CLI and the service run one orchestration: on the same images and seed they cross-validate every candidate
/// (the combined one included) to the same numbers and choose the same architecture.
/// </summary>
[Trait("Kind", "Integration")]
[Collection(ServiceTrainingCollection.Name)]
public sealed class CliServiceAgreementTests(ITestOutputHelper output)
{
    private const string Architectures = "MobilenetV2,Resnet18,RawPixels";

    [Fact]
    public async Task Cli_train_and_the_service_retrain_choose_the_same_architecture_with_the_same_cross_validation()
    {
        var data = new ServiceTestData("agreement");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        await using var service = await InProcessService.StartAsync(data.DataRoot,
            ServiceTestData.Settings(Architectures, ("Pipeline:Seed", "42")));
        var retrain = await Poll.RetrainAsync(service.Client, 1, TimeSpan.FromMinutes(8), () => service.Output, "Completed");
        var served = (await service.Client.GetJsonAsync("/api/models")).AsArray().Single()!;

        var outFolder = RepositoryPaths.NewTempFolder("agreement-cli");
        var cli = await CliProcess.RunAsync(TimeSpan.FromMinutes(8), "train",
            "--data", ServiceTestData.SampleFolder(ServiceTestData.ThreeLabels, 16), "--out", outFolder,
            "--architectures", Architectures, "--seed", "42", "--data-root", RepositoryPaths.SharedDataRoot);
        Assert.True(cli.ExitCode == 0, cli.StandardError);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outFolder, "report.json")))!;

        output.WriteLine($"service: {served["architecture"]} cv {served["cvMacroAccuracy"]} ± {served["cvMacroAccuracySd"]}; {retrain["reason"]}");
        output.WriteLine($"cli: {report["best"]}: {report["explanation"]}");
        Assert.Equal(report["best"]!.GetValue<string>(), served["architecture"]!.GetValue<string>());

        // Every candidate, the combined one included, has the same cross-validation in both.
        var cliCandidates = report["candidates"]!.AsArray();
        Assert.Equal(4, cliCandidates.Count);
        Assert.Contains(cliCandidates, c => c!["architecture"]!.GetValue<string>().Contains('+'));
        foreach (var candidate in cliCandidates)
        {
            var name = candidate!["architecture"]!.GetValue<string>();
            var inService = ModelArtifact.ReadManifest(Path.Combine(data.DataRoot, "jobs", "dataset-000001", "candidates", name)).Metrics;
            var cv = candidate["crossValidation"]!;
            Assert.Equal(inService.CrossValidation!.MeanMacroAccuracy, cv["meanMacroAccuracy"]!.GetValue<double>(), 12);
            Assert.Equal(inService.CrossValidation.L2, cv["l2"]!.GetValue<float>());
            Assert.Equal(inService.MacroAccuracy, candidate["macroAccuracy"]!.GetValue<double>(), 12);
        }

        Assert.Equal(cliCandidates.Single(c => c!["architecture"]!.GetValue<string>() == report["best"]!.GetValue<string>())!
            ["crossValidation"]!["meanMacroAccuracy"]!.GetValue<double>(), served["cvMacroAccuracy"]!.GetValue<double>(), 12);
    }
}
