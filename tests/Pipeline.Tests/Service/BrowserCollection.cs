namespace Pipeline.Tests.Service;

/// <summary>
/// The browser walks (Chromium driven by Playwright against a real service process). One at a time among themselves,
/// since each retrains on every core, but beside the other collections: their waits are events and polls with
/// deadlines of minutes, which hold on a loaded two-core machine, and much of their time is the browser and the service
/// waiting on each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "browser walks";
}
