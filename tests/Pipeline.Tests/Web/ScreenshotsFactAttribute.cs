namespace Pipeline.Tests.Web;

/// <summary>
/// A fact that runs only when <c>PIPELINE_SCREENSHOTS</c> names a folder (scripts/screenshots.sh sets it); otherwise it
/// is reported as skipped, never as passed: it makes pictures for the README and checks little of its own.
/// </summary>
public sealed class ScreenshotsFactAttribute : FactAttribute
{
    public const string Variable = "PIPELINE_SCREENSHOTS";

    public ScreenshotsFactAttribute()
    {
        if (Folder is null) Skip = $"writes the README's screenshots; set {Variable}=DIR to run it (scripts/screenshots.sh)";
    }

    /// <summary>Where the screenshots go; null when they are not asked for.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder ? folder : null;
}
