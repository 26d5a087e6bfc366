using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Datasets.Intake;
using Pipeline.Storage;

namespace Pipeline.Tests.Drops;

[Trait("Kind", "Integration")]
public class UploadTests
{
    private static ByteArrayContent File(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>"label fileName" of each image of a dataset version, as <c>GET /api/datasets/{v}</c> lists them, sorted.</summary>
    private static async Task<List<string>> FileNamesAsync(DropsService service, int version)
    {
        var dataset = await service.Client.GetFromJsonAsync<JsonElement>($"/api/datasets/{version}");
        return dataset.GetProperty("images").EnumerateArray()
            .Select(i => $"{i.GetProperty("label").GetString()} {i.GetProperty("fileName").GetString()}").Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Uploaded_zip_is_accepted_with_202_and_a_location_that_reports_the_outcome()
    {
        await using var service = await DropsService.StartAsync("upload-zip");
        var zip = DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["cat/a.png"] = DropImages.Png(1), ["dog/b.png"] = DropImages.Png(2), ["dog/c.jpg"] = "not a picture"u8.ToArray(),
        });

        using var form = new MultipartFormDataContent { { File(zip, "application/zip"), "file", "pets.zip" } };
        using var response = await service.Client.PostAsync("/api/drops", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var received = (await response.Content.ReadFromJsonAsync<DropRecord>(PipelineJson.Options))!;
        Assert.Equal($"/api/drops/{received.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("pets.zip", received.Name);
        var record = await service.FinishedByIdAsync(received.Id);
        Assert.Equal(DropState.Ingested, record.State);
        Assert.Equal(2, record.Accepted);
        Assert.Equal("dog/c.jpg", Assert.Single(record.RejectedFiles).Path);
        // Each image keeps its entry's name, the name people know it by, in the dataset version (and its API).
        Assert.Equal(["cat a.png", "dog b.png"], await FileNamesAsync(service, record.DatasetVersion!.Value));
        Assert.True(System.IO.File.Exists(Path.Combine(service.Processed(record.Id), "pets.zip")));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(service.DataRoot, "intake"), ".upload-*"));
    }

    [Fact]
    public async Task Uploaded_images_with_a_label_become_a_drop_of_that_label()
    {
        await using var service = await DropsService.StartAsync("upload-images");

        using var form = new MultipartFormDataContent
        {
            { new StringContent("cat"), "label" },
            { File(DropImages.Png(1), "image/png"), "files", "a.png" },
            { File(DropImages.Jpeg(2), "image/jpeg"), "files", "b.jpg" },
            { File(DropImages.Png(3), "image/png"), "files", "a.png" },
        };
        using var response = await service.Client.PostAsync("/api/drops", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<DropRecord>(PipelineJson.Options))!.Id;
        var record = await service.FinishedByIdAsync(id);
        Assert.Equal(DropOrigin.Upload, record.Origin);
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 3 }, record.Labels);
        // The form's file names; the second a.png was received beside the first, as a-2.png.
        Assert.Equal(["cat a-2.png", "cat a.png", "cat b.jpg"], await FileNamesAsync(service, record.DatasetVersion!.Value));
    }

    [Fact]
    public async Task Upload_above_the_size_limit_is_refused_with_413_and_leaves_nothing()
    {
        await using var service = await DropsService.StartAsync("upload-413",
            new Dictionary<string, string?> { ["Pipeline:MaxUploadBytes"] = "4096" });
        using var form = new MultipartFormDataContent { { File(new byte[20_000], "application/zip"), "file", "big.zip" } };

        using var response = await service.Client.PostAsync("/api/drops", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Pipeline:MaxUploadBytes", (await ProblemAsync(response)).GetProperty("detail").GetString());
        Assert.Empty(await service.ListAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(service.DataRoot, "intake", "payload")));
    }

    [Fact]
    public async Task Upload_that_is_not_multipart_is_refused_with_415()
    {
        await using var service = await DropsService.StartAsync("upload-415");

        using var response = await service.Client.PostAsync("/api/drops", File(DropImages.Png(1), "image/png"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("multipart/form-data", (await ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Upload_without_files_or_without_a_label_is_refused_with_400()
    {
        await using var service = await DropsService.StartAsync("upload-400");

        using var empty = new MultipartFormDataContent { { new StringContent("cat"), "label" } };
        using var emptyResponse = await service.Client.PostAsync("/api/drops", empty);
        using var unlabelled = new MultipartFormDataContent { { File(DropImages.Png(1), "image/png"), "files", "a.png" } };
        using var unlabelledResponse = await service.Client.PostAsync("/api/drops", unlabelled);
        using var escaping = new MultipartFormDataContent
        {
            { new StringContent("../cat"), "label" }, { File(DropImages.Png(1), "image/png"), "files", "a.png" },
        };
        using var escapingResponse = await service.Client.PostAsync("/api/drops", escaping);

        Assert.Equal(HttpStatusCode.BadRequest, emptyResponse.StatusCode);
        Assert.Contains("no file content", (await ProblemAsync(emptyResponse)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unlabelledResponse.StatusCode);
        Assert.Contains("'label'", (await ProblemAsync(unlabelledResponse)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, escapingResponse.StatusCode);
        Assert.Empty(await service.ListAsync());
    }

    [Fact]
    public async Task Upload_with_a_label_or_file_name_longer_than_a_file_name_may_be_is_400_with_the_reason()
    {
        await using var service = await DropsService.StartAsync("upload-long-names");
        // 100 characters pass the character limit but are 300 bytes in UTF-8; Linux allows 255 bytes per name.
        string cjkLabel = string.Concat(Enumerable.Repeat("猫", 100));
        using var longLabel = new MultipartFormDataContent
        {
            { new StringContent(cjkLabel), "label" }, { File(DropImages.Png(1), "image/png"), "files", "a.png" },
        };
        using var longLabelResponse = await service.Client.PostAsync("/api/drops", longLabel);
        using var longFile = new MultipartFormDataContent
        {
            { new StringContent("cat"), "label" }, { File(DropImages.Png(1), "image/png"), "files", new string('f', 296) + ".png" },
        };
        using var longFileResponse = await service.Client.PostAsync("/api/drops", longFile);

        Assert.Equal(HttpStatusCode.BadRequest, longLabelResponse.StatusCode);
        Assert.Contains("300 bytes", (await ProblemAsync(longLabelResponse)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, longFileResponse.StatusCode);
        Assert.Contains("300 bytes", (await ProblemAsync(longFileResponse)).GetProperty("detail").GetString());
        Assert.Empty(await service.ListAsync());
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(service.DataRoot, "intake"), ".upload-*"));
    }

    [Fact]
    public async Task Unknown_drop_id_is_404_problem_details()
    {
        await using var service = await DropsService.StartAsync("drops-404");

        using var unknown = await service.Client.GetAsync("/api/drops/20260101-000000-abcdef");
        using var malformed = await service.Client.GetAsync("/api/drops/..%2F..%2Fetc");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Unknown drop", (await ProblemAsync(unknown)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }
}
