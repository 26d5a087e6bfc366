using System.Text.Json;
using Pipeline.Datasets.Intake;
using Pipeline.Storage;
using Xunit.Abstractions;

namespace Pipeline.Tests.Drops;

[Trait("Kind", "Integration")]
public class CrashSafetyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_during_ingestion_and_restart_finish_the_drop_once_without_losing_or_duplicating_images()
    {
        const int count = 150;
        var files = Enumerable.Range(0, count).ToDictionary(i => $"{(i % 2 == 0 ? "cat" : "dog")}/{i}.png", DropImages.Png);
        string dataRoot;
        await using (var first = await DropsService.StartProcessAsync("drops-kill"))
        {
            first.Drop("big", files);
            // Kill as soon as the service has taken the drop: mid-ingestion on this machine, or just after on a fast one.
            await first.UntilAsync(async () => (await first.ListAsync()).FirstOrDefault(r => r.Name == "big"), "the drop taken");
            await first.KillAsync();
            dataRoot = first.DataRoot;
        }

        var atKill = Directory.EnumerateFiles(Path.Combine(dataRoot, "intake"), "*.json")
            .Select(f => JsonSerializer.Deserialize<DropRecord>(File.ReadAllText(f), PipelineJson.Options)!).Single();
        var versionsAtKill = Directory.EnumerateFiles(Path.Combine(dataRoot, "datasets", "versions"), "*.json").Count();
        output.WriteLine($"At the kill the drop was {atKill.State}, with {versionsAtKill} dataset versions committed.");

        await using var again = await DropsService.RestartAsync(dataRoot);
        var record = await again.FinishedAsync("big");

        Assert.Equal(DropState.Ingested, record.State);
        Assert.Equal(count, record.Accepted);
        Assert.Equal(1, record.DatasetVersion);
        Assert.Single(await again.ListAsync());
        Assert.Single(Directory.EnumerateFiles(Path.Combine(dataRoot, "datasets", "versions"), "*.json"));
        Assert.Equal(count, Directory.EnumerateFiles(Path.Combine(dataRoot, "datasets", "images"), "*.png", SearchOption.AllDirectories).Count());
        Assert.Equal(count, Directory.EnumerateFiles(Path.Combine(again.Processed(record.Id), "big"), "*", SearchOption.AllDirectories).Count());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(dataRoot, "intake", "payload")));
    }

    [Fact]
    public async Task Drop_still_in_the_watched_folder_at_a_kill_is_taken_once_after_restart()
    {
        string dataRoot;
        await using (var first = await DropsService.StartProcessAsync("drops-kill-waiting",
                         new Dictionary<string, string?> { ["Pipeline:DropQuietSeconds"] = "600" }))
        {
            first.Drop("waiting", new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1), ["dog/b.png"] = DropImages.Png(2) });
            await first.KillAsync();
            dataRoot = first.DataRoot;
        }

        await using var again = await DropsService.RestartAsync(dataRoot);
        var record = await again.FinishedAsync("waiting");

        Assert.Equal(2, record.Accepted);
        Assert.Single(await again.ListAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(again.Drops));
    }
}
