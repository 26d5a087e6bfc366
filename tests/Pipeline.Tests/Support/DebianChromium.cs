using Microsoft.Playwright;

namespace Pipeline.Tests.Support;

/// <summary>Debian's Chromium, not a downloaded one: the browser tests run offline and never call <c>playwright install</c>.</summary>
internal static class DebianChromium
{
    public static BrowserTypeLaunchOptions LaunchOptions { get; } = new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    };
}
