using Pipeline.Datasets.Intake;

namespace Pipeline.Tests.Drops;

[Trait("Kind", "Integration")]
public class SampleSeedingTests
{
    [Fact]
    public async Task First_run_seeds_an_openclipart_drop_that_is_ingested_like_any_other()
    {
        await using var service = await DropsService.StartAsync("seed-sample", new Dictionary<string, string?>
        {
            ["Pipeline:SampleData"] = "true",
            ["Pipeline:Drops:SamplePerLabel"] = "2",
        });

        var record = await service.FinishedAsync("sample-openclipart", TimeSpan.FromSeconds(60));

        Assert.Equal(DropState.Ingested, record.State);
        Assert.Equal(8, record.Labels.Count);
        Assert.Equal(1, record.DatasetVersion);
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Drops));
    }

    [Fact]
    public async Task Without_openclipart_the_service_warns_and_starts_empty()
    {
        await using var service = await DropsService.StartAsync("seed-missing", new Dictionary<string, string?>
        {
            ["Pipeline:SampleData"] = "true",
            ["Pipeline:Drops:SampleSource"] = "/nonexistent/openclipart",
        });

        await service.UntilAsync(() => Task.FromResult(service.Service.Output.Contains("No sample data") ? "" : null), "the warning");

        Assert.Contains("openclipart-png", service.Service.Output);
        // The watcher makes drops/ once it holds the intake lease, which can come after the seeder's warning.
        await service.UntilAsync(() => Task.FromResult(Directory.Exists(service.Drops) ? "" : null), "the watched drops folder");
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Drops));
        Assert.Empty(await service.ListAsync());
    }

    [Fact]
    public async Task Data_root_that_has_seen_drops_is_not_seeded_again()
    {
        string dataRoot;
        await using (var first = await DropsService.StartAsync("seed-once"))
        {
            first.Drop("mine", new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1) });
            await first.FinishedAsync("mine");
            dataRoot = first.DataRoot;
        }

        await using var again = await DropsService.RestartAsync(dataRoot, new Dictionary<string, string?>
        {
            ["Pipeline:SampleData"] = "true", ["Pipeline:Drops:SamplePerLabel"] = "2",
        });

        Assert.Equal(["mine"], (await again.ListAsync()).Select(r => r.Name));
        Assert.False(Directory.Exists(Path.Combine(again.Drops, "sample-openclipart")));
    }
}
