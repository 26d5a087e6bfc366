using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.Playwright;
using Pipeline.Datasets;
using Pipeline.Export;
using Pipeline.Images;
using Pipeline.Registry;
using Pipeline.Samples;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Web;

/// <summary>
/// The web UI in Debian's Chromium against the real service: upload through the page, follow the drop to its
/// promotion, predict from the page (busy, low-confidence hint, a file that is not an image), read the metrics,
/// export the ONNX graph from the model page and run it, check that what the pages show is what the API says, that
/// chart labels fit their charts and that no page scrolls sideways at 390 px; fix a label from the model's mistakes,
/// then in the dataset browser find an image by its file name, see a quarantined file under its label with its reason,
/// and delete an image. One service start serves all. (The README's screenshots come from <see cref="ReadmeScreenshots"/>.)
/// </summary>
[Collection(ServiceCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class WebUiBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);
    private static readonly string[] Labels = ["animals", "food"];
    private const string LooseLabel = "transportation";

    private const int PerLabel = 12;

    [Fact]
    public async Task Drop_uploaded_through_the_page_is_followed_to_its_promotion_and_the_pages_show_the_APIs_figures()
    {
        var root = RepositoryPaths.NewTempFolder("webui");
        // A real drop: openclipart pictures in <label>/ folders, plus one file that is not an image and one beside the
        // label folders.
        var dropFolder = Path.Combine(root, "upload", "clipart");
        OpenclipartSample.Build(dropFolder, PerLabel, Labels);
        await File.WriteAllTextAsync(Path.Combine(dropFolder, Labels[0], "notes.png"), "not a picture");
        await File.WriteAllTextAsync(Path.Combine(dropFolder, "readme.txt"), "beside the label folders");
        // RawPixels only: a retrain takes seconds.
        // A low-confidence threshold of 1: every answer is under it, so the page must show the hint.
        await using var service = await ServiceProcess.StartAsync(Path.Combine(root, "data"),
            ServiceTestData.Settings("RawPixels", ("Pipeline:WebUi:LowConfidenceThreshold", "1")));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(DebianChromium.LaunchOptions);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        var site = service.BaseAddress.ToString().TrimEnd('/');
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };

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
        var rejected = drop["rejectedFiles"]!.AsArray().ToDictionary(f => f!["path"]!.GetValue<string>(), f => f!["reason"]!.GetValue<string>());
        Assert.Equal([$"{Labels[0]}/notes.png", "readme.txt"], rejected.Keys.Order(StringComparer.Ordinal));
        var rejectedRows = await page.Locator("#rejected-files tbody tr").AllInnerTextsAsync();
        foreach (var (path, reason) in rejected)
            Assert.Contains(rejectedRows, row => row.Contains(path) && row.Contains(reason));

        // The overview shows the serving model with the API's figures; predict from the page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        Assert.Equal("1", await page.Locator("[data-serving-version]").GetAttributeAsync("data-serving-version"));
        var details = await service.Client.GetJsonAsync("/api/models/1");
        await AssertFiguresAsync(page, details);
        // The notice names the latest drop; nothing runs now, and "Retrain now" asks the API (version 1 is done already).
        await Assertions.Expect(page.Locator($"#activity [data-latest-drop='{dropId}']")).ToContainTextAsync($"{PerLabel * Labels.Length} accepted");
        Assert.Equal(0, await page.Locator("[data-retrain-running]").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Retrain now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#retrain-status")).ToContainTextAsync("Dataset version 1");
        await page.ReloadAsync();

        var probe = Directory.EnumerateFiles(Path.Combine(dropFolder, Labels[1])).Order(StringComparer.Ordinal).First();
        await page.GetByLabel("Image (jpeg, png, bmp, gif, webp)").SetInputFilesAsync(probe);
        await Assertions.Expect(page.Locator("#predict-preview")).ToBeVisibleAsync();
        // Held at the network until the busy indicator has been seen: the indicator shows while the request is out.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/predict*", async route => { await release.Task; await route.ContinueAsync(); });
        await page.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
        await Assertions.Expect(page.Locator("#predict-busy")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Predict" })).ToBeDisabledAsync();
        release.SetResult();
        await Assertions.Expect(page.Locator("#predict-busy")).ToBeHiddenAsync();
        await page.UnrouteAllAsync();
        var bars = page.Locator("#predict-output .topk li");
        await Assertions.Expect(bars).ToHaveCountAsync(Labels.Length);
        var api = await PredictAsync(service.Client, probe);
        for (var i = 0; i < Labels.Length; i++)
        {
            Assert.Equal(api["top"]![i]!["label"]!.GetValue<string>(), await bars.Nth(i).GetAttributeAsync("data-label"));
            Assert.Equal(api["top"]![i]!["score"]!.GetValue<double>(), Number(await bars.Nth(i).GetAttributeAsync("data-score")), 6);
        }

        Assert.True(await page.Locator("#predict-preview").EvaluateAsync<int>("img => img.naturalWidth") > 0, "the preview shows the image");
        await Assertions.Expect(page.Locator("#low-confidence")).ToContainTextAsync("Low confidence");
        await Assertions.Expect(page.Locator("#low-confidence")).ToContainTextAsync("is below 100%");

        // Operators see both predictions (the page's and the API's) in the latency histogram, under the model that answered.
        var scrape = await service.Client.GetStringAsync("/metrics");
        var answered = Regex.Match(scrape, @"^pipeline_predict_duration_seconds_count\{[^}]*model_version=""1"",outcome=""ok""\} (\d+)$", RegexOptions.Multiline);
        Assert.True(answered.Success, scrape);
        Assert.Equal(2, int.Parse(answered.Groups[1].Value));
        Assert.Matches(new Regex(@"^pipeline_predict_duration_seconds_bucket\{[^}]*model_version=""1"",outcome=""ok"",le=""\+Inf""\} 2$", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^pipeline_serving_model_version\{[^}]*\} 1$", RegexOptions.Multiline), scrape);
        Assert.Matches(new Regex(@"^pipeline_drops_total\{[^}]*outcome=""ingested""\} 1$", RegexOptions.Multiline), scrape);

        // A file that is not an image gets a sentence, never a broken-image preview.
        await page.GetByLabel("Image (jpeg, png, bmp, gif, webp)").SetInputFilesAsync(Path.Combine(dropFolder, Labels[0], "notes.png"));
        await Assertions.Expect(page.Locator("#predict-file")).ToHaveAttributeAsync("data-unviewable", "true");
        await Assertions.Expect(page.Locator("#predict-preview")).ToBeHiddenAsync();
        await page.GetByLabel("Image (jpeg, png, bmp, gif, webp)").SetInputFilesAsync(probe);
        await Assertions.Expect(page.Locator("#predict-preview")).ToBeVisibleAsync();

        // The model page: per-label bars and the confusion matrix equal the API's, one cell per label pair.
        await page.GetByRole(AriaRole.Link, new() { Name = "Per-label metrics, confusion matrix and the candidates of its retrain" }).ClickAsync();
        await AssertFiguresAsync(page, details);
        // The head line of the lineage: the API's L2, folds and weighting (equal labels here: every image alike).
        var crossValidation = details["crossValidation"]!;
        var headFit = page.Locator("#head-fit");
        Assert.Equal(crossValidation["l2"]!.GetValue<double>(), Number(await headFit.GetAttributeAsync("data-l2")));
        Assert.Equal(crossValidation["folds"]!.GetValue<int>().ToString(), await headFit.GetAttributeAsync("data-folds"));
        Assert.False(crossValidation["balancedLabels"]!.GetValue<bool>());
        Assert.Equal("false", await headFit.GetAttributeAsync("data-balanced-labels"));
        Assert.Contains("every image weighed alike", await headFit.InnerTextAsync());
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

        // Export from the page: the downloaded ONNX graph, run by ONNX Runtime, gives the API's scores for the probe.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "ONNX graph" }).ClickAsync());
        var onnx = Path.Combine(root, "exported.onnx");
        await download.SaveAsAsync(onnx);
        var exported = await RunExportedAsync(onnx, Path.Combine(service.DataRoot, "models"), 1, probe);
        foreach (var scored in api["top"]!.AsArray())
            Assert.Equal(scored!["score"]!.GetValue<double>(), exported[scored["label"]!.GetValue<string>()], 3);
        using (var mlnet = await service.Client.GetAsync(await page.GetByRole(AriaRole.Link, new() { Name = "ML.NET model (.zip)" }).GetAttributeAsync("href")))
            Assert.Equal(HttpStatusCode.OK, mlnet.StatusCode);

        // The icon browsers ask for on every first load is there (an ICO), so no page logs a 404 for it.
        using (var icon = await service.Client.GetAsync("/favicon.ico"))
        {
            Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
            Assert.Equal("image/x-icon", icon.Content.Headers.ContentType?.MediaType);
            Assert.Equal(new byte[] { 0, 0, 1, 0 }, (await icon.Content.ReadAsByteArrayAsync())[..4]);
        }

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
        await page.GetByRole(AriaRole.Button, new() { Name = other < serving ? $"Roll back to v{other}" : $"Promote v{other}" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr.serving[data-version='{other}']")).ToBeVisibleAsync();
        Assert.Equal(other, (await service.Client.GetJsonAsync("/api/models/current"))["version"]!.GetValue<int>());

        await page.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var decisions = await page.Locator("#decisions tbody tr").CountAsync();
        Assert.Equal((await service.Client.GetJsonAsync("/api/models/decisions")).AsArray().Count, decisions);
        Assert.True(await page.Locator("#retrains a[href^='/hangfire/jobs/details/']").CountAsync() >= 2, "retrains link their Hangfire jobs");

        // Long labels ("transportation", candidate names) fit inside their charts: no text crosses its svg's box.
        var withThreeLabels = (await service.Client.GetJsonAsync("/api/models")).AsArray()
            .Select(m => m!["version"]!.GetValue<int>()).Max();
        await page.GotoAsync($"{site}/models/{withThreeLabels}");
        Assert.Contains(LooseLabel, await page.Locator("#confusion").InnerHTMLAsync());
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("svg.chart")].flatMap(svg => {
              const box = svg.getBoundingClientRect();
              return [...svg.querySelectorAll("text")].filter(t => {
                const r = t.getBoundingClientRect();
                return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
              }).map(t => t.textContent);
            })
            """);
        Assert.Empty(clipped);

        // The model's mistakes: a confusion-matrix cell off the diagonal leads to its images; move one to the label the
        // model gave it -> a new dataset version that records the move -> its retrain -> the model page of the result.
        var datasetBefore = (await service.Client.GetJsonAsync("/api/datasets")).AsArray()[0]!["version"]!.GetValue<int>();
        var mistakeCell = page.Locator("#confusion a:has(g.cell)").First;
        var (actual, predicted) = (await mistakeCell.Locator("g.cell").GetAttributeAsync("data-actual"),
            await mistakeCell.Locator("g.cell").GetAttributeAsync("data-predicted"));
        await mistakeCell.ClickAsync();
        await page.WaitForURLAsync(new Regex($"/models/{withThreeLabels}/mistakes#"));
        var group = page.Locator($"section[data-actual='{actual}'][data-predicted='{predicted}']");
        var wrong = group.Locator("li[data-sha256]").First;
        var sha = (await wrong.GetAttributeAsync("data-sha256"))!;
        // "Move to" offers the label the model gave first.
        await Assertions.Expect(wrong.Locator("select")).ToHaveValueAsync(predicted!);
        await wrong.GetByRole(AriaRole.Button, new() { Name = "Move" }).ClickAsync();
        var relabelled = datasetBefore + 1;
        await page.WaitForURLAsync(new Regex($"/datasets/{relabelled}$"));
        Assert.Contains($"moved {sha[..12]} from {actual} to {predicted}", await page.Locator("#changes").InnerTextAsync());
        var change = Assert.Single((await service.Client.GetJsonAsync($"/api/datasets/{relabelled}"))["changes"]!.AsArray())!;
        Assert.Equal((sha, actual, predicted), (change["sha256"]!.GetValue<string>(), change["label"]!.GetValue<string>(), change["newLabel"]!.GetValue<string>()));
        var retrained = await Poll.UntilAsync(async () =>
            {
                using var response = await service.Client.GetAsync($"/api/jobs/dataset-{relabelled:D6}");
                return response.IsSuccessStatusCode && JsonNode.Parse(await response.Content.ReadAsStringAsync())!["registeredVersion"] is { } v ? v : null;
            },
            TrainingDeadline, $"the retrain of dataset version {relabelled} to register a model", () => service.Output);
        await page.GotoAsync($"{site}/models/{retrained.GetValue<int>()}");
        Assert.Contains($"on dataset version {relabelled}", await page.Locator("p.lead").InnerTextAsync());

        // The dataset browser: server-made thumbnails (a small PNG whatever the original), counts, and delete.
        await page.GotoAsync($"{site}/datasets");
        await page.WaitForURLAsync(new Regex($"/datasets/{relabelled}$"));
        var first = page.Locator("#images li[data-sha256]").First;
        var thumbnail = await first.Locator("img").EvaluateAsync<int[]>("img => [img.naturalWidth, img.naturalHeight]");
        Assert.True(thumbnail[0] <= 128 && thumbnail[1] <= 128 && thumbnail[0] > 0, $"thumbnail {thumbnail[0]}x{thumbnail[1]}");
        var counted = await page.Locator("#label-counts a[aria-current]").GetAttributeAsync("data-count");
        Assert.Equal(counted, (await page.Locator("#images li[data-sha256]").CountAsync()).ToString());
        var doomed = (await first.GetAttributeAsync("data-sha256"))!;

        // Quarantined files are listed under the label folder they were dropped under, with the drop's reasons; a file
        // beside the label folders under "no label".
        await Assertions.Expect(page.Locator($"#label-counts a[data-label='{Labels[0]}']")).ToHaveAttributeAsync("data-quarantined", "1");
        await Assertions.Expect(page.Locator($"details[data-quarantine-label='{Labels[0]}'][open] tr[data-path='{Labels[0]}/notes.png']"))
            .ToContainTextAsync(rejected[$"{Labels[0]}/notes.png"]);
        await Assertions.Expect(page.Locator("details[data-quarantine-label='no label'] tr[data-path='readme.txt']"))
            .ToContainTextAsync(rejected["readme.txt"]);

        // Find an image by part of the name it was dropped under, in any case; a quarantined file by its name too.
        var known = Directory.EnumerateFiles(Path.Combine(dropFolder, Labels[1])).Order(StringComparer.Ordinal).First();
        var knownSha = await ContentHash.Sha256HexOfFileAsync(known);
        await page.GetByLabel("Find by file name").FillAsync(Path.GetFileNameWithoutExtension(known).ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        var found = page.Locator($"#images li[data-sha256='{knownSha}']");
        await Assertions.Expect(found.Locator(".file-name")).ToHaveTextAsync(Path.GetFileName(known));
        foreach (var name in await page.Locator("#images li[data-sha256]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.fileName)"))
            Assert.Contains(Path.GetFileNameWithoutExtension(known), name, StringComparison.OrdinalIgnoreCase);
        await page.GotoAsync($"{site}/datasets/{relabelled}?q=NOTES");
        await Assertions.Expect(page.Locator($"details[data-quarantine-label='{Labels[0]}'] tr[data-path='{Labels[0]}/notes.png']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("details[data-quarantine-label='no label']")).ToHaveCountAsync(0);
        await page.GotoAsync($"{site}/datasets/{relabelled}");
        await first.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/datasets/{relabelled + 1}$"));
        Assert.Contains($"deleted {doomed[..12]}", await page.Locator("#changes").InnerTextAsync());
        var afterDelete = await service.Client.GetJsonAsync($"/api/datasets/{relabelled + 1}");
        Assert.DoesNotContain(afterDelete["images"]!.AsArray(), i => i!["sha256"]!.GetValue<string>() == doomed);
        Assert.Equal((await service.Client.GetJsonAsync($"/api/datasets/{relabelled}"))["images"]!.AsArray().Count - 1, afterDelete["images"]!.AsArray().Count);
        // Retrained as a drop's version is: its retrain record appears.
        await Poll.UntilAsync(async () =>
        {
            using var response = await service.Client.GetAsync($"/api/jobs/dataset-{relabelled + 1:D6}");
            return response.IsSuccessStatusCode ? "" : null;
        }, TrainingDeadline, "the retrain of the version without the deleted image", () => service.Output);

        // A 390 px phone: no page scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        foreach (var path in new[] { "/", "/models", "/models/1", $"/models/{withThreeLabels}", $"/models/{withThreeLabels}/mistakes", "/history",
                     $"/drops/{Uri.EscapeDataString(dropId)}", $"/datasets/{relabelled + 1}" })
        {
            await page.GotoAsync(site + path);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"{path} is {widths[0]} px wide in a {widths[1]} px window");
        }

        Assert.DoesNotContain(consoleErrors, e => e.Contains("favicon", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Runs an exported ONNX graph on one image, prepared as the README's export section says (each backbone's size and resize,
    /// RGB 0..255 NCHW); returns each label's probability.
    /// </summary>
    private static async Task<Dictionary<string, double>> RunExportedAsync(string onnx, string modelsRoot, int version, string image)
    {
        var manifest = new ModelRegistry(modelsRoot).Get(version)!.Manifest;
        using var session = new InferenceSession(onnx);
        var labels = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap[OnnxClassifierGraph.LabelsKey])!;
        var bytes = await File.ReadAllBytesAsync(image);
        var inputs = new List<OrtValue>();
        foreach (var backbone in manifest.AllBackbones())
        {
            var side = backbone.InputSize;
            var pixels = new float[3 * side * side];
            var loaded = ImageLoader.Load(bytes, new ImageLoadOptions { TargetWidth = side, TargetHeight = side, ResizeMode = backbone.Resize });
            PixelTensorWriter.WriteChw(loaded.Image!, PixelScaling.Raw, pixels);
            inputs.Add(OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, side, side]));
        }

        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, inputs.Select((_, i) => OnnxClassifierGraph.InputNameOf(i)).ToList(), inputs,
            [OnnxClassifierGraph.ProbabilitiesName]);
        inputs.ForEach(i => i.Dispose());
        var probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return labels.Select((label, k) => (label, (double)probabilities[k])).ToDictionary(p => p.label, p => p.Item2);
    }

    /// <summary>
    /// Watches a drop's page refresh itself until its retrain has decided; returns the promoted version (null when the
    /// challenger lost). Fails if the page never showed the retrain in progress or ingested state.
    /// </summary>
    private async Task<int?> FollowDropAsync(IPage page, ServiceProcess service, string what)
    {
        var seen = new List<string>();
        var navigations = 0;
        void Navigated(object? sender, IFrame frame) => navigations++;
        page.FrameNavigated += Navigated;
        await Poll.UntilAsync(async () =>
        {
            // Both states in one script run: the page refreshes itself in place, and two separate reads can straddle a
            // refresh (the old drop state beside the new retrain state).
            var states = await page.EvaluateAsync<string?[]>(
                "() => [document.querySelector('[data-drop-state]')?.getAttribute('data-drop-state') ?? null, " +
                "document.querySelector('[data-retrain-state]')?.getAttribute('data-retrain-state') ?? null]");
            var drop = "drop " + states[0];
            var retrain = states[1];
            var now = drop + (retrain is null ? "" : ", retrain " + retrain);
            if (seen.LastOrDefault() != now) seen.Add(now);
            // The page settles once the drop has ended too: a fast retrain can decide while the drop still finishes
            // its ingestion (its dataset version is committed before the drop is marked Ingested).
            return retrain is "Completed" or "Failed" && states[0] != "Ingesting" ? retrain : null;
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
}
