using System.Diagnostics;
using Microsoft.Playwright;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

[Collection(ServiceCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);

    /// <summary>Debian's Chromium, not a downloaded one: the tests run offline and never call <c>playwright install</c>.</summary>
    private static readonly BrowserTypeLaunchOptions Chromium = new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    };

    [Fact]
    public async Task Dashboard_shows_a_running_jobs_progress_live_and_the_models_page_shows_the_serving_version()
    {
        var data = new ServiceTestData("dashboard");
        await data.CommitAsync(ServiceTestData.ThreeLabels, 16, "test:first");
        // InceptionV3 on an empty feature cache of its own: featurising takes long enough to be watched.
        await using var service = await ServiceProcess.StartAsync(data.DataRoot, ServiceTestData.Settings("InceptionV3,RawPixels",
            ("Pipeline:FeatureCacheFolder", Path.Combine(data.DataRoot, "features"))));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Chromium);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(service.BaseAddress, "/hangfire").ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Progress", Exact = true }).ClickAsync();

        // The page reloads itself every two seconds; a running candidate appears with its stage and a percent.
        var running = page.Locator("tr.job-row[data-state='running'][data-stage='featurise'], tr.job-row[data-state='running'][data-stage='train']");
        await running.First.WaitForAsync(new() { Timeout = (float)TrainingDeadline.TotalMilliseconds });
        var first = await running.First.InnerTextAsync();
        output.WriteLine($"running row: {first}");
        Assert.Matches(@"\d+(\.\d)?%", first);

        // Live: without any click the same page later shows a different progress (or the job finished).
        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(async () =>
        {
            var rows = await page.Locator("tr.job-row").AllInnerTextsAsync();
            return rows.Count > 0 && !rows.Contains(first) ? rows : null;
        }, TrainingDeadline, "the progress page to update by itself", () => service.Output);
        output.WriteLine($"page updated by itself after {clock.Elapsed.TotalSeconds:0.0} s");

        await Poll.RetrainAsync(service.Client, 1, TrainingDeadline, () => service.Output, "Completed");
        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        await page.Locator("#serving", new() { HasTextString = "Serving model v1" }).WaitForAsync(new() { Timeout = 30_000 });
        var servingRow = await page.Locator("tr.serving-row").InnerTextAsync();
        output.WriteLine($"serving row: {servingRow}");
        Assert.StartsWith("v1", servingRow.Trim());
        Assert.Contains("first model", await page.Locator("#decisions").InnerTextAsync());
    }
}
