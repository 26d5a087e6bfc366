using System.Net;
using System.Text.Json.Nodes;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Web;

/// <summary><c>GET /api/models/{v}</c> as documented, and the UI's pages and assets answering without a model.</summary>
[Trait("Kind", "Integration")]
public sealed class ModelDetailsApiTests
{
    [Fact]
    public async Task Model_details_are_in_the_OpenAPI_document_and_an_unknown_version_is_a_404_problem()
    {
        await using var service = await InProcessService.StartAsync(RepositoryPaths.NewTempFolder("model-details"), ServiceTestData.Settings("RawPixels"));

        var document = await service.Client.GetJsonAsync("/openapi/v1.json");
        var get = document["paths"]?["/api/models/{version}"]?["get"];
        Assert.NotNull(get);
        Assert.Equal("GetModel", get["operationId"]?.GetValue<string>());
        Assert.NotNull(get["responses"]?["200"]?["content"]?["application/json"]);
        Assert.NotNull(get["responses"]?["404"]);
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var field in new[] { "perClass", "confusionMatrix", "crossValidation", "retrain", "lineage" })
            Assert.True(schemas["ModelDetails"]?["properties"]?[field] is not null, $"ModelDetails schema lacks {field}: {schemas["ModelDetails"]}");
        // The pages are for people, not part of the API.
        Assert.DoesNotContain("/history", document["paths"]!.AsObject().Select(p => p.Key));

        using var missing = await service.Client.GetAsync("/api/models/7");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // Problem details as ModelsApi's other 404s write them (NotFound<ProblemDetails>, so listed in the document).
        var problem = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!;
        Assert.Equal(404, problem["status"]!.GetValue<int>());
        Assert.Contains("Model version 7 does not exist", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pages_answer_html_without_a_model_and_unknown_ones_are_404_pages()
    {
        await using var service = await InProcessService.StartAsync(RepositoryPaths.NewTempFolder("web-pages"), ServiceTestData.Settings("RawPixels"));

        foreach (var path in new[] { "/", "/models", "/history" })
        {
            using var page = await service.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<main id=\"main\">", await page.Content.ReadAsStringAsync());
        }

        foreach (var path in new[] { "/models/3", "/drops/nope" })
        {
            using var page = await service.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        using var script = await service.Client.GetAsync("/ui/site.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/site.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", script.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await service.Client.SendAsync(again)).StatusCode);
    }
}
