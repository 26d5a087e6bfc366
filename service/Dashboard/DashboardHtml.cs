using System.Globalization;
using System.Net;
using Pipeline.Retraining;
using Pipeline.Service.Jobs;

namespace Pipeline.Service.Dashboard;

/// <summary>Small formatting shared by our dashboard pages: encoding, numbers, durations, the auto-refresh.</summary>
internal static class DashboardHtml
{
    public static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    public static string N(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Duration(double? seconds) => seconds switch
    {
        null => "–",
        < 60 => $"{seconds.Value:0}s",
        < 3600 => $"{Math.Floor(seconds.Value / 60):0}m {seconds.Value % 60:00}s",
        _ => $"{Math.Floor(seconds.Value / 3600):0}h {Math.Floor(seconds.Value % 3600 / 60):00}m",
    };

    /// <summary>Reloads the page every two seconds (while the tab is visible), so progress moves without a click.</summary>
    private const string AutoRefresh =
        "<script>setInterval(function(){ if (!document.hidden) { location.reload(); } }, 2000);</script>";

    /// <summary>
    /// <see cref="AutoRefresh"/> while a job of this process runs or a retrain is under way, nothing otherwise: a page
    /// that reloads every two seconds with nothing moving only costs requests and loses the reader's scroll position.
    /// </summary>
    public static string AutoRefreshWhileBusy(IServiceProvider services) =>
        services.GetRequiredService<JobProgressStore>().List().Any(j => j.State == "running") ||
        services.GetRequiredService<RetrainRecords>().List().Any(r => r.IsActive)
            ? AutoRefresh
            : "";

    /// <summary>Which UI is which: this dashboard is the home of jobs; models and history live in the web UI.</summary>
    public const string WebUiPointer =
        "<p class=\"text-muted\" id=\"web-ui-pointer\">Jobs live here. Models (figures, confusion matrix, export, promote) and the history of " +
        "drops and retrains live in the web UI: <a href=\"/models\">models in the web UI</a> · <a href=\"/history\">history in the web UI</a>.</p>";
}
