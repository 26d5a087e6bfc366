using System.Diagnostics;
using Microsoft.Playwright;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

[Collection(ServiceCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Dashboard_shows_a_running_jobs_progress_live_and_the_models_page_shows_the_serving_version()
    {
        var data = new ServiceTestData("dashboard");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        // InceptionV3 on an empty feature cache of its own: featurising takes long enough to be watched.
        await using var service = await ServiceProcess.StartAsync(data.DataRoot, ServiceTestData.Settings("InceptionV3,RawPixels",
            ("Pipeline:FeatureCacheFolder", Path.Combine(data.DataRoot, "features")),
            // The pages are the subject here, not the head: style views would only featurise InceptionV3 twice more.
            ("Pipeline:StyleViews", "false")));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(DebianChromium.LaunchOptions);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(service.BaseAddress, "/hangfire").ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Progress", Exact = true }).ClickAsync();

        // The page reloads itself every two seconds; a running candidate appears with its stage and a percent.
        var running = page.Locator("tr.job-row[data-state='running'][data-stage='featurise'], tr.job-row[data-state='running'][data-stage='train']");
        var first = await Poll.UntilAsync(() => WhileReloadingAsync(async () =>
        {
            await running.First.WaitForAsync(new() { Timeout = (float)TrainingDeadline.TotalMilliseconds });
            return await running.First.InnerTextAsync();
        }), TrainingDeadline, "a running candidate on the Progress page", () => service.Output);
        output.WriteLine($"running row: {first}");
        Assert.Matches(@"\d+(\.\d)?%", first);

        // Live: without any click the same page later shows a different progress (or the job finished).
        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(() => WhileReloadingAsync(async () =>
        {
            var rows = await page.Locator("tr.job-row").AllInnerTextsAsync();
            return rows.Count > 0 && !rows.Contains(first) ? rows : null;
        }), TrainingDeadline, "the progress page to update by itself", () => service.Output);
        output.WriteLine($"page updated by itself after {clock.Elapsed.TotalSeconds:0.0} s");

        await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");
        // The Progress page may still hold its last reload timer: a reload that fires after the click wins over the
        // link's navigation and leaves the browser on Progress, which no longer refreshes. Click until Models is shown.
        await Poll.UntilAsync(() => WhileReloadingAsync(async () =>
        {
            if (!page.Url.Contains("/models", StringComparison.Ordinal))
                await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync(new() { Timeout = 5_000 });
            return page.Url.Contains("/models", StringComparison.Ordinal) ? page.Url : null;
        }), TimeSpan.FromSeconds(30), "the Models page", () => service.Output);
        await page.Locator("#serving", new() { HasTextString = "Serving model v1" }).WaitForAsync(new() { Timeout = 30_000 });
        var (servingRow, decisions) = await Poll.UntilAsync(() => WhileReloadingAsync(async () =>
            Tuple.Create(await page.Locator("tr.serving-row").InnerTextAsync(), await page.Locator("#decisions").InnerTextAsync())),
            TimeSpan.FromSeconds(30), "the Models page's serving row and decisions");
        output.WriteLine($"serving row: {servingRow}");
        Assert.StartsWith("v1", servingRow.Trim());
        Assert.Contains("first model", decisions);
        // The serving model's cross-validation, as /api/models reports it: "0.xxx ± 0.xxx (5 folds, L2 …)".
        var served = (await service.Client.GetJsonAsync("/api/models")).AsArray().Single()!;
        Assert.Contains($"{served["cvMacroAccuracy"]!.GetValue<double>().ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} ± ", servingRow);
        Assert.Contains($"({served["cvFolds"]!.GetValue<int>()} folds, L2 ", servingRow);
    }

    /// <summary>
    /// Runs a read of the page; a read cut off by the page's own two-second reload counts as "not yet", any other
    /// browser error fails the test.
    /// </summary>
    private static async Task<T?> WhileReloadingAsync<T>(Func<Task<T?>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (PlaywrightException e) when (e.Message.Contains("context was destroyed") || e.Message.Contains("navigation"))
        {
            return null;
        }
    }
}
