using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pipeline.Backbones;
using Pipeline.Registry;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Predict;

[Trait("Kind", "Integration")]
public sealed class PredictApiTests(ServedModelFixture served) : IClassFixture<ServedModelFixture>
{
    private HttpClient Client => served.Service.Client;

    [Fact]
    public async Task Multipart_image_gets_the_same_answer_as_the_model_loaded_in_process()
    {
        var image = served.TestImages[0];
        var bytes = await File.ReadAllBytesAsync(image.Path);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", Path.GetFileName(image.Path));

        var answer = await PostAsync("/api/predict", form, HttpStatusCode.OK);

        using var local = await ClassifierModel.LoadAsync(served.ModelFolder,
            PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot).Backbones);
        var expected = local.Predict(bytes);
        Assert.Equal(expected.Label, answer["label"]!.GetValue<string>());
        Assert.Equal(expected.Score, answer["score"]!.GetValue<double>(), 4);
        Assert.Equal(1, answer["modelVersion"]!.GetValue<int>());
        Assert.Equal(3, answer["top"]!.AsArray().Count);
    }

    [Fact]
    public async Task Raw_image_body_with_top_k_lists_k_labels_in_descending_score()
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(served.TestImages[1].Path));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var answer = await PostAsync("/api/predict?top=5", content, HttpStatusCode.OK);

        var scores = answer["top"]!.AsArray().Select(t => t!["score"]!.GetValue<double>()).ToList();
        Assert.Equal(5, scores.Count);
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(answer["label"]!.GetValue<string>(), answer["top"]![0]!["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task Undecodable_image_is_a_400_problem_that_says_why()
    {
        var png = await File.ReadAllBytesAsync(served.TestImages[2].Path);
        var truncated = new ByteArrayContent(png[..(png.Length / 3)]);
        truncated.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var problem = await PostAsync("/api/predict", truncated, HttpStatusCode.BadRequest);

        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), problem.ToJsonString());
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415_problem()
    {
        var problem = await PostAsync("/api/predict", new StringContent("not an image"), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(415, problem["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Body_over_the_configured_limit_is_a_413_problem_with_or_without_content_length()
    {
        var big = new byte[ServedModelFixture.MaxImageBytes + 1];
        var declared = new ByteArrayContent(big);
        declared.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        await PostAsync("/api/predict", declared, HttpStatusCode.RequestEntityTooLarge);

        // Chunked: the size is only known while reading, so the limit must hold mid-stream too.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Without_any_model_predict_is_503_and_health_says_ready_with_the_reason()
    {
        await using var empty = await InProcessService.StartAsync(RepositoryPaths.NewTempFolder("predict-empty"),
            new Dictionary<string, string?> { ["Pipeline:RetrainCron"] = "" });
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(served.TestImages[0].Path));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        using var response = await empty.Client.PostAsync("/api/predict", content);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var health = await empty.Client.GetAsync("/health");
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(body["reason"]?.GetValue<string>()), body.ToJsonString());
    }

    [Fact]
    public async Task Manual_promotion_of_a_model_that_cannot_load_is_refused_and_the_serving_model_stays()
    {
        var registry = new ModelRegistry(Path.Combine(served.DataRoot, "models"));
        var broken = await registry.RegisterAsync(served.ModelFolder);
        await File.WriteAllTextAsync(Path.Combine(broken.Folder, ModelArtifact.HeadFileName), "not a model");

        using var promote = await Client.PostAsync($"/api/models/{broken.Version}/promote", null);
        var problem = await promote.Content.ReadAsStringAsync();

        Assert.True(promote.StatusCode == HttpStatusCode.Conflict, $"{(int)promote.StatusCode} {problem}");
        var current = JsonNode.Parse(await Client.GetStringAsync("/api/models/current"))!;
        Assert.Equal(1, current["version"]!.GetValue<int>());
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(served.TestImages[0].Path));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var answer = await PostAsync("/api/predict", content, HttpStatusCode.OK);
        Assert.Equal(1, answer["modelVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Multipart_content_type_without_a_boundary_is_a_400_problem_not_413()
    {
        var body = new ByteArrayContent(served.TestImages.Count > 0 ? File.ReadAllBytes(served.TestImages[0].Path) : [1, 2, 3]);
        body.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");

        var problem = await PostAsync("/api/predict", body, HttpStatusCode.BadRequest);

        Assert.Contains("boundary", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Image_above_the_predict_pixel_limit_is_a_400_problem_naming_the_limit()
    {
        // 800 MP: within what a drop accepts (1000 MP), above Pipeline:Predict:MaxPixels (500 MP here).
        var png = new ByteArrayContent(Images.TestImages.PngClaiming(40_000, 20_000));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var problem = await PostAsync("/api/predict", png, HttpStatusCode.BadRequest);

        Assert.Contains("above the 500 MP limit", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Predict_beyond_the_concurrency_cap_and_queue_is_503_with_retry_after()
    {
        // A caller that holds the only slot: a 500 MP image whose decoding takes seconds. (A body that never finishes
        // arriving no longer holds one: the slot is taken after the body is read, see Service.Hardening.) A probe can
        // win the slot first; then the huge request is sent again.
        var huge = HugeBlackPng(40_000, 12_500);
        TcpClient? holder = null;
        var refused = await Poll.UntilAsync(async () =>
        {
            holder?.Dispose();
            holder = await RawRequestAsync("image/png", huge, huge.Length);
            var response = await Client.PostAsync("/api/predict", PngContent());
            return response.StatusCode == HttpStatusCode.ServiceUnavailable ? response : null;
        }, TimeSpan.FromSeconds(30), "a 503 while the slot is held", () => served.Service.Output);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("Too many predictions at once",
            JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
        holder!.Dispose();

        // The holder went away; the slot is free again.
        await Poll.UntilAsync(async () => (await Client.PostAsync("/api/predict", PngContent())).IsSuccessStatusCode ? "ok" : null,
            TimeSpan.FromSeconds(10), "predict to answer again", () => served.Service.Output);
    }

    [Fact]
    public async Task Client_that_goes_away_mid_decode_stops_the_decoding()
    {
        // 500 MP, one bit per pixel: a 60 kB upload that takes seconds of CPU to decode.
        var huge = HugeBlackPng(40_000, 12_500);
        Assert.True(huge.Length < ServedModelFixture.MaxImageBytes);
        // While it decodes, it holds the only slot (MaxConcurrent 1): a 503 to another caller says its body is in and
        // decoding began. A probe can win the slot first; then the huge request was refused, and it is sent again.
        var client = await Poll.UntilAsync(async () =>
        {
            var raw = await RawRequestAsync("image/png", huge, huge.Length);
            using var probe = await Client.PostAsync("/api/predict", PngContent());
            if (probe.StatusCode == HttpStatusCode.ServiceUnavailable && raw.Available == 0) return raw;
            raw.Dispose();
            return null;
        }, TimeSpan.FromSeconds(30), "the huge image to hold the slot", () => served.Service.Output);
        client.Dispose();

        // A generous deadline: with the suite's other collections loading both cores, Kestrel can take a while to see
        // the closed connection; the poll returns as soon as the log line is there.
        await Poll.UntilAsync(() => Task.FromResult(served.Service.Output.Contains("the client went away") ? "stopped" : null),
            TimeSpan.FromSeconds(90), "the service to stop decoding for a client that went away", () => served.Service.Output);
        using var next = await Client.PostAsync("/api/predict", PngContent());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private ByteArrayContent PngContent()
    {
        var content = new ByteArrayContent(File.ReadAllBytes(served.TestImages[0].Path));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    /// <summary>A request written by hand on its own connection, so that the test decides when the client goes away (dispose).</summary>
    private async Task<TcpClient> RawRequestAsync(string contentType, byte[] body, long declaredLength)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(served.Service.BaseAddress.Host, served.Service.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/predict HTTP/1.1\r\nHost: {served.Service.BaseAddress.Authority}\r\n" +
                                                        $"Content-Type: {contentType}\r\nContent-Length: {declaredLength}\r\n\r\n"));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        return tcp;
    }

    /// <summary>A greyscale 1-bit PNG of one colour, written directly: zlib of all-zero rows compresses about 1000:1.</summary>
    private static byte[] HugeBlackPng(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth; colour type 0 (grey), deflate, filter 0, no interlace
        Chunk(png, "IHDR", header);
        var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8];
            for (int y = 0; y < height; y++) zlib.Write(row);
        }

        Chunk(png, "IDAT", data.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();

        static void Chunk(Stream output, string type, byte[] content)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, content.Length);
            output.Write(length);
            var typed = Encoding.ASCII.GetBytes(type).Concat(content).ToArray();
            output.Write(typed);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Images.Crc32.Compute(typed));
            output.Write(crc);
        }
    }

    [Fact]
    public async Task OpenApi_document_describes_predict()
    {
        using var response = await Client.GetAsync("/openapi/v1.json");
        var document = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/api/predict", document);
    }

    private async Task<JsonNode> PostAsync(string path, HttpContent content, HttpStatusCode expected)
    {
        using var response = await Client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {path}: expected {expected}, got {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
