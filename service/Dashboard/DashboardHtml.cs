using System.Globalization;
using System.Net;

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
    public const string AutoRefresh =
        "<script>setInterval(function(){ if (!document.hidden) { location.reload(); } }, 2000);</script>";
}
