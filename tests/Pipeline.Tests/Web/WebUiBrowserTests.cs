using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pipeline.Samples;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Web;

/// <summary>
/// The web UI in Debian's Chromium against the real service: upload through the page, follow the drop to its
/// promotion, predict from the page, and check that what the pages show is what the API says. With
/// <c>PIPELINE_SCREENSHOTS=DIR</c> it also writes the README's screenshots there (scripts/screenshots.sh).
/// </summary>
[Collection(ServiceCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class WebUiBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);
    private static readonly string[] Labels = ["animals", "food"];
    private const string LooseLabel = "transportation";

    private readonly string? _screenshots = Environment.GetEnvironmentVariable("PIPELINE_SCREENSHOTS") is { Length: > 0 } dir ? dir : null;

    /// <summary>Images per label: few for the test; more for the screenshots, so that the model shown has learnt something.</summary>
    private int PerLabel => _screenshots is null ? 12 : 40;

    [Fact]
    public async Task Drop_uploaded_through_the_page_is_followed_to_its_promotion_and_the_pages_show_the_APIs_figures()
    {
        var root = RepositoryPaths.NewTempFolder("webui");
        // A real drop: openclipart pictures in <label>/ folders, plus one file that is not an image.
        var dropFolder = Path.Combine(root, "upload", "clipart");
        OpenclipartSample.Build(dropFolder, PerLabel, Labels);
        await File.WriteAllTextAsync(Path.Combine(dropFolder, Labels[0], "notes.png"), "not a picture");
        // RawPixels only: a retrain takes seconds.
        await using var service = await ServiceProcess.StartAsync(Path.Combine(root, "data"), ServiceTestData.Settings("RawPixels"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(DebianChromium.LaunchOptions);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        var site = service.BaseAddress.ToString().TrimEnd('/');

        // The dashboard's "Back to site" leads to the UI.
        await page.GotoAsync(site + "/hangfire");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to site" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        Assert.Equal("", await page.Locator("[data-serving-version]").GetAttributeAsync("data-serving-version"));

        // Upload a folder through the page: the script zips it and posts it to /api/drops.
        await page.GetByLabel("Or a folder of label folders").SetInputFilesAsync(dropFolder);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/drops/[^/]+$"));
        var dropId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var promoted = await FollowDropAsync(page, service, "drop");
        Assert.Equal(1, promoted);

        var drop = await service.Client.GetJsonAsync($"/api/drops/{dropId}");
        Assert.Equal(drop["accepted"]!.GetValue<int>().ToString(), await page.Locator("[data-count=accepted]").InnerTextAsync());
        Assert.Equal(drop["rejected"]!.GetValue<int>().ToString(), await page.Locator("[data-count=rejected]").InnerTextAsync());
        Assert.Equal(PerLabel * Labels.Length, drop["accepted"]!.GetValue<int>());
        var rejected = Assert.Single(drop["rejectedFiles"]!.AsArray());
        var rejectedRow = await page.Locator("#rejected-files tbody tr").InnerTextAsync();
        Assert.Contains(rejected!["path"]!.GetValue<string>(), rejectedRow);
        Assert.Contains(rejected["reason"]!.GetValue<string>(), rejectedRow);
        await ShotAsync(page, "drop");

        // The overview shows the serving model with the API's figures; predict from the page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        Assert.Equal("1", await page.Locator("[data-serving-version]").GetAttributeAsync("data-serving-version"));
        var details = await service.Client.GetJsonAsync("/api/models/1");
        await AssertFiguresAsync(page, details);

        var probe = Directory.EnumerateFiles(Path.Combine(dropFolder, Labels[1])).Order(StringComparer.Ordinal).First();
        await page.GetByLabel("Image (jpeg, png, bmp, gif, webp)").SetInputFilesAsync(probe);
        await Assertions.Expect(page.Locator("#predict-preview")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
        var bars = page.Locator("#predict-output .topk li");
        await Assertions.Expect(bars).ToHaveCountAsync(Labels.Length);
        var api = await PredictAsync(service.Client, probe);
        for (var i = 0; i < Labels.Length; i++)
        {
            Assert.Equal(api["top"]![i]!["label"]!.GetValue<string>(), await bars.Nth(i).GetAttributeAsync("data-label"));
            Assert.Equal(api["top"]![i]!["score"]!.GetValue<double>(), Number(await bars.Nth(i).GetAttributeAsync("data-score")), 6);
        }

        Assert.True(await page.Locator("#predict-preview").EvaluateAsync<int>("img => img.naturalWidth") > 0, "the preview shows the image");
        await ShotAsync(page, "overview");

        // The model page: per-label bars and the confusion matrix equal the API's, one cell per label pair.
        await page.GetByRole(AriaRole.Link, new() { Name = "Per-label metrics, confusion matrix and the candidates of its retrain" }).ClickAsync();
        await AssertFiguresAsync(page, details);
        foreach (var perClass in details["perClass"]!.AsArray())
            foreach (var (series, field) in new[] { ("precision", "precision"), ("recall", "recall"), ("F1", "f1") })
            {
                var bar = page.Locator($"#per-class g.bar[data-series='{series}'][data-category='{perClass!["label"]}']");
                Assert.Equal(perClass[field]!.GetValue<double>(), Number(await bar.GetAttributeAsync("data-value")));
            }

        var matrix = details["confusionMatrix"]!;
        var labels = matrix["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Equal(Labels.Order(), labels.Order());
        var cells = page.Locator("#confusion g.cell");
        Assert.Equal(labels.Count * labels.Count, await cells.CountAsync());
        var total = 0;
        for (var a = 0; a < labels.Count; a++)
            for (var p = 0; p < labels.Count; p++)
            {
                var cell = page.Locator($"#confusion g.cell[data-actual='{labels[a]}'][data-predicted='{labels[p]}']");
                var count = matrix["counts"]![a]![p]!.GetValue<int>();
                Assert.Equal(count.ToString(), await cell.GetAttributeAsync("data-count"));
                Assert.Equal(count.ToString(), (await cell.Locator("text").TextContentAsync())?.Trim());
                total += count;
            }

        Assert.Equal(details["model"]!["testImages"]!.GetValue<int>(), total);
        var candidate = Assert.Single(details["retrain"]!["candidates"]!.AsArray())!;
        Assert.Equal("RawPixels", candidate["architecture"]!.GetValue<string>());
        Assert.True(candidate["chosen"]!.GetValue<bool>());
        Assert.Contains(candidate["jobId"]!.GetValue<string>(),
            await page.Locator("#candidates-table tr[data-architecture='RawPixels'] a").GetAttributeAsync("href"));
        await ShotAsync(page, "model");

        // A second drop of loose images with a label, then promote or roll back from the Models page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        var loose = Path.Combine(root, "loose");
        OpenclipartSample.Build(loose, PerLabel, [LooseLabel]);
        await page.GetByLabel("Images", new() { Exact = true })
            .SetInputFilesAsync(Directory.EnumerateFiles(Path.Combine(loose, LooseLabel)).Order(StringComparer.Ordinal));
        await page.GetByLabel("Label", new() { Exact = true }).FillAsync(LooseLabel);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/drops/[^/]+$"));
        await FollowDropAsync(page, service, "second drop");

        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        var serving = (await service.Client.GetJsonAsync("/api/models/current"))["version"]!.GetValue<int>();
        var other = serving == 1 ? 2 : 1;
        await ShotAsync(page, "models");
        await page.GetByRole(AriaRole.Button, new() { Name = other < serving ? $"Roll back to v{other}" : $"Promote v{other}" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr.serving[data-version='{other}']")).ToBeVisibleAsync();
        Assert.Equal(other, (await service.Client.GetJsonAsync("/api/models/current"))["version"]!.GetValue<int>());

        await page.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var decisions = await page.Locator("#decisions tbody tr").CountAsync();
        Assert.Equal((await service.Client.GetJsonAsync("/api/models/decisions")).AsArray().Count, decisions);
        Assert.True(await page.Locator("#retrains a[href^='/hangfire/jobs/details/']").CountAsync() >= 2, "retrains link their Hangfire jobs");
        await ShotAsync(page, "history");
    }

    /// <summary>
    /// Watches a drop's page refresh itself until its retrain has decided; returns the promoted version (null when the
    /// challenger lost). Fails if the page never showed the retrain in progress or ingested state.
    /// </summary>
    private async Task<int?> FollowDropAsync(IPage page, ServiceProcess service, string what)
    {
        var seen = new List<string>();
        var state = page.Locator("[data-retrain-state]");
        var navigations = 0;
        void Navigated(object? sender, IFrame frame) => navigations++;
        page.FrameNavigated += Navigated;
        await Poll.UntilAsync(async () =>
        {
            var drop = "drop " + await page.Locator("[data-drop-state]").GetAttributeAsync("data-drop-state");
            var retrain = await state.CountAsync() == 0 ? null : await state.GetAttributeAsync("data-retrain-state");
            var now = drop + (retrain is null ? "" : ", retrain " + retrain);
            if (seen.LastOrDefault() != now) seen.Add(now);
            return retrain is "Completed" or "Failed" ? retrain : null;
        }, TrainingDeadline, $"the {what}'s page to show its retrain decided", () => service.Output);
        page.FrameNavigated -= Navigated;
        output.WriteLine($"{what}: the page showed {string.Join(" -> ", seen)}");
        Assert.Equal("drop Ingested, retrain Completed", seen[^1]);
        // Live: the page went through earlier states and reached the last one without being reloaded.
        Assert.True(seen.Count >= 2, $"the page showed only {seen[0]}");
        Assert.Equal(0, navigations);
        // Settled: the page stops refreshing itself.
        await Assertions.Expect(page.Locator("#drop-live")).Not.ToHaveAttributeAsync("data-live", new Regex(".*"));
        var promoted = page.Locator("[data-promoted-version]");
        return await promoted.CountAsync() == 0 ? null : int.Parse((await promoted.GetAttributeAsync("data-promoted-version"))!);
    }

    private static async Task AssertFiguresAsync(IPage page, JsonNode details)
    {
        foreach (var (field, value) in new[]
                 {
                     ("macroAccuracy", details["model"]!["macroAccuracy"]), ("microAccuracy", details["model"]!["microAccuracy"]),
                     ("logLoss", details["model"]!["logLoss"]), ("testImages", details["model"]!["testImages"]),
                     ("topKAccuracy", details["topKAccuracy"]), ("trainSeconds", details["trainSeconds"]), ("modelBytes", details["modelBytes"]),
                 })
        {
            var figure = page.Locator($"[data-figure='{field}']");
            var expected = value!.GetValue<double>();
            Assert.Equal(expected, Number(await figure.GetAttributeAsync("data-value")));
            if (field.EndsWith("Accuracy") || field == "logLoss")
                Assert.Equal(expected.ToString("0.000", CultureInfo.InvariantCulture), await figure.InnerTextAsync());
        }
    }

    private static async Task<JsonNode> PredictAsync(HttpClient client, string image)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(image));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var form = new MultipartFormDataContent { { content, "image", Path.GetFileName(image) } };
        using var response = await client.PostAsync("/api/predict?top=5", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    private static double Number(string? text) => double.Parse(text!, CultureInfo.InvariantCulture);

    private async Task ShotAsync(IPage page, string name)
    {
        if (_screenshots is null) return;
        Directory.CreateDirectory(_screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, $"webui-{name}.png"), FullPage = true });
    }
}
