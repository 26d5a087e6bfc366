using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pipeline.Backbones;
using Pipeline.Registry;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Predict;

[Collection(ServiceCollection.Name)]
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
        await using var empty = await ServiceProcess.StartAsync(RepositoryPaths.NewTempFolder("predict-empty"),
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
