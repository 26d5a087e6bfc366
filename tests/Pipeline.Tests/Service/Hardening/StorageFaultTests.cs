using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pipeline.Datasets.Intake;
using Pipeline.Tests.Drops;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service.Hardening;

/// <summary>
/// The data root failing under a running service, made real: a 40 MB tmpfs filled up, a read-only bind mount, the
/// folder deleted. Each failure is answered as what it is (507, 503 with a reason), never 500 or a hang.
/// </summary>
[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public class StorageFaultTests
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Upload_to_a_full_data_root_gets_507_problem_details_and_keeps_nothing_of_it()
    {
        string data = Path.Combine(RepositoryPaths.NewTempFolder("hardening-full-disk"), "data");
        await using var tmpfs = await Mount.TmpfsAsync(data, 40);
        await using var service = await DropsService.RestartAsync(data);
        Mount.Fill(data, leaveBytes: 256 * 1024);

        using var form = new MultipartFormDataContent();
        var zip = new ByteArrayContent(DropImages.Zip(Enumerable.Range(1, 12).ToDictionary(i => $"cat/{i}.png", NoiseImage)));
        zip.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(zip, "file", "big.zip");
        using var response = await service.Client.PostAsync("/api/drops", form);

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.InsufficientStorage, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Storage full", JsonNode.Parse(text)!["title"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(data, "intake"), IntakeFolders.UploadPrefix + "*"));
        Assert.Empty(await service.ListAsync());
    }

    [Fact]
    public async Task Drop_that_meets_a_full_disk_during_ingestion_is_ingested_once_space_is_freed()
    {
        string data = Path.Combine(RepositoryPaths.NewTempFolder("hardening-full-ingest"), "data");
        await using var tmpfs = await Mount.TmpfsAsync(data, 40);
        await using var service = await DropsService.RestartAsync(data, new Dictionary<string, string?>
        {
            ["Pipeline:Drops:StorageRetrySeconds"] = "1",
        });
        // Written under a hidden name first (ignored by the watcher), then the disk is filled, then one rename makes
        // it a drop: taking it needs no space, storing its images does.
        string staging = Path.Combine(service.Drops, ".noise");
        DropImages.Write(staging, Enumerable.Range(1, 6).ToDictionary(i => $"{(i % 2 == 0 ? "cat" : "dog")}/{i}.png", NoiseImage));
        Mount.Fill(data, leaveBytes: 100 * 1024);
        Directory.Move(staging, Path.Combine(service.Drops, "noise"));

        // The system's own words (ENOSPC), which the log carries whatever the service does about them.
        await service.UntilAsync(() => Task.FromResult(service.Service.Output.Contains("No space left on device") ? "" : null),
            "ingestion to meet the full disk");
        File.Delete(Path.Combine(data, "filler.bin"));
        var record = await service.FinishedAsync("noise");

        Assert.True(record.State == DropState.Ingested, $"{record.State}: {record.Reason}");
        Assert.Equal(6, record.Accepted);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(data, "datasets"), "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Read_only_data_root_answers_promote_upload_and_export_with_503_and_a_reason_and_health_is_not_ready()
    {
        var data = new ServiceTestData("hardening-read-only");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        await using var service = await ServiceProcess.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels"));
        await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");

        await using var readOnly = await Mount.ReadOnlyAsync(data.DataRoot);
        // Before the fix promote waited for its lock file forever; a minute is far beyond a bounded answer.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var promote = await service.Client.PostAsync("/api/models/1/promote", null, deadline.Token);
        await AssertReadOnlyAnswerAsync(promote, "promote");

        using var form = new MultipartFormDataContent();
        var zip = new ByteArrayContent(DropImages.Zip(new Dictionary<string, byte[]> { ["cat/1.png"] = DropImages.Png(1) }));
        zip.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(zip, "file", "one.zip");
        using var upload = await service.Client.PostAsync("/api/drops", form, deadline.Token);
        await AssertReadOnlyAnswerAsync(upload, "upload");

        using var export = await service.Client.GetAsync("/api/models/1/export?format=mlnet", deadline.Token);
        await AssertReadOnlyAnswerAsync(export, "export");

        using var health = await service.Client.GetAsync("/health", deadline.Token);
        var report = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", report["checks"]!["dataRoot"]!["status"]!.GetValue<string>());
        Assert.Contains("read-only", report["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retrain_interrupted_by_a_read_only_data_root_waits_and_completes_once_the_root_is_writable()
    {
        var data = new ServiceTestData("hardening-read-only-retrain");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 40, "test:first");
        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels",
            ("Pipeline:Jobs:StorageRetrySeconds", "1")));
        // The system's own words (EROFS), which the job's log carries whatever it does about them.
        const string storageFault = "Read-only file system";

        // The retrain writes its candidates, its record and the model into the data root: taking writes away while it
        // runs makes one of its jobs meet EROFS, whichever it is by then.
        await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Pending", "Training", "Evaluating");
        await using (var readOnly = await Mount.ReadOnlyAsync(data.DataRoot))
        {
            await Poll.UntilAsync(() => Task.FromResult(service.Output.Contains(storageFault) ? "" : null), TrainingDeadline,
                "a retrain job to meet the read-only data root", () => service.Output);
            var meanwhile = await service.Client.GetJsonAsync("/api/jobs/dataset-000001");
            // Neither finished nor failed: a read-only disk is not the data's fault, and the record cannot be written.
            Assert.True(meanwhile["state"]!.GetValue<string>() is "Pending" or "Training" or "Evaluating", meanwhile.ToJsonString());
        }

        // Before the fix the job's failure could not be recorded either, the record stayed Training for good, and
        // POST /api/retrain returned it and started nothing. Now the job runs again until the storage takes writes.
        var retrain = await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");
        Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());
        using var again = await service.Client.PostAsync("/api/retrain", null);
        var latest = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal("Completed", latest["state"]!.GetValue<string>());
        var health = await service.Client.GetJsonAsync("/health");
        Assert.Equal(1, health["servingVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Retrain_request_that_met_a_read_only_jobs_folder_is_made_again_by_itself_once_it_takes_writes()
    {
        var data = new ServiceTestData("hardening-read-only-request");
        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels",
            ("Pipeline:Jobs:StorageRetrySeconds", "1")));
        var jobs = Path.Combine(data.DataRoot, "jobs");
        Directory.CreateDirectory(jobs);

        // The version is committed (by another process, as the rescan sees it) while the retrain records cannot be
        // written: the request it triggers fails.
        await using (var readOnly = await Mount.ReadOnlyAsync(jobs))
        {
            await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:while-jobs-is-read-only");
            await Poll.UntilAsync(() => Task.FromResult(service.Output.Contains("Retrain request (rescan) failed") ? "" : null),
                TrainingDeadline, "the rescan's retrain request to fail", () => service.Output);
        }

        // Nothing triggers it again (no drop, no POST, no new version): the failed request is made again by itself.
        var retrain = await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");
        Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());
    }

    [Fact]
    public async Task Data_root_deleted_while_running_makes_health_not_ready_and_the_api_answer_503()
    {
        await using var service = await DropsService.StartAsync("hardening-gone");
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health")).StatusCode);

        Directory.Delete(service.DataRoot, recursive: true);

        using var health = await service.Client.GetAsync("/health");
        var report = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", report["checks"]!["dataRoot"]!["status"]!.GetValue<string>());
        Assert.Contains("data root is gone", report["reason"]!.GetValue<string>());
        using var models = await service.Client.GetAsync("/api/models");
        string text = await models.Content.ReadAsStringAsync();
        Assert.True(models.StatusCode == HttpStatusCode.ServiceUnavailable, $"GET /api/models: {(int)models.StatusCode} {text}");
        Assert.Equal("Storage missing", JsonNode.Parse(text)!["title"]!.GetValue<string>());
    }

    private static async Task AssertReadOnlyAnswerAsync(HttpResponseMessage response, string what)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Storage read-only", JsonNode.Parse(text)!["title"]!.GetValue<string>());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    /// <summary>A PNG of random pixels (about 190 KB), which neither PNG nor zip can shrink.</summary>
    private static byte[] NoiseImage(int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SkiaSharp.SKBitmap(256, 256);
        for (int y = 0; y < 256; y++)
        for (int x = 0; x < 256; x++)
            bitmap.SetPixel(x, y, new SkiaSharp.SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
