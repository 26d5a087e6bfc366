using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pipeline.Datasets.Intake;

namespace Pipeline.Tests.Drops;

[Trait("Kind", "Integration")]
public class IngestProgressTests
{
    [Fact]
    public async Task Drop_ingestion_shows_as_an_ingest_job_with_files_and_eta_and_stays_listed_once_done()
    {
        await using var service = await DropsService.StartAsync("ingest-progress");
        var files = new Dictionary<string, byte[]>();
        for (var i = 0; i < 40; i++) files[$"{(i % 2 == 0 ? "cat" : "dog")}/{i}.png"] = DropImages.Png(i);
        files["dog/broken.png"] = "not a picture"u8.ToArray();
        service.Drop("pets", files);

        // Polled while it runs: whatever is seen of it is the ingest stage, and its counts never go past the total.
        var seen = new List<JsonNode>();
        var record = await service.UntilAsync(async () =>
        {
            var drop = (await service.ListAsync()).FirstOrDefault(r => r.Name == "pets");
            if (drop is null) return null;
            using var response = await service.Client.GetAsync($"/api/jobs/drop-{drop.Id}");
            if (response.IsSuccessStatusCode) seen.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
            return drop.IsFinished && seen.LastOrDefault()?["state"]?.GetValue<string>() != "running" && seen.Count > 0
                ? await service.GetAsync(drop.Id)
                : null;
        }, "drop 'pets' ingested and its job finished");

        Assert.Equal(DropState.Ingested, record.State);
        Assert.Equal(40, record.Accepted);
        Assert.All(seen, s =>
        {
            Assert.Equal("ingest", s["stage"]!.GetValue<string>());
            Assert.Equal("ingest", s["kind"]!.GetValue<string>());
            Assert.True(s["imagesProcessed"]!.GetValue<long>() <= s["imagesTotal"]!.GetValue<long>(), s.ToJsonString());
        });

        var done = await service.Client.GetFromJsonAsync<JsonNode>($"/api/jobs/drop-{record.Id}");
        Assert.Equal("succeeded", done!["state"]!.GetValue<string>());
        Assert.Equal("ingest", done["stage"]!.GetValue<string>());
        Assert.Equal(100, done["percent"]!.GetValue<double>());
        Assert.Equal(40, done["imagesProcessed"]!.GetValue<long>());
        Assert.Equal(40, done["imagesTotal"]!.GetValue<long>());
        Assert.Equal(0, done["etaSeconds"]!.GetValue<double>());
        Assert.Equal(record.DatasetVersion, done["datasetVersion"]!.GetValue<int>());
        Assert.Contains("40 accepted", done["message"]!.GetValue<string>());

        // Kept with the other jobs after it ends, as the dashboard's Progress page lists them.
        var jobs = (await service.Client.GetFromJsonAsync<JsonNode>("/api/jobs"))!["jobs"]!.AsArray();
        Assert.Contains(jobs, j => j!["jobId"]!.GetValue<string>() == $"drop-{record.Id}");
    }
}
