using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// The frame of every page: one stylesheet and one script of our own (no CDN), the navigation, and the antiforgery
/// request token that the page's script sends with its mutating requests.
/// </summary>
public static class WebLayout
{
    private static readonly (string Path, string Name)[] Navigation = [("/", "Overview"), ("/models", "Models"), ("/datasets", "Datasets"), ("/history", "History")];

    public static IResult Page(HttpContext context, string title, string body, string? current = null,
        int statusCode = StatusCodes.Status200OK)
    {
        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken;
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>{E(title)} · Pipeline</title>")
            .Append($"<meta name=\"request-verification-token\" content=\"{E(token)}\">")
            .Append($"<link rel=\"icon\" href=\"{Favicon.Path}\" sizes=\"32x32\"><link rel=\"stylesheet\" href=\"{WebAssets.StylePath}\"><script defer src=\"{WebAssets.ScriptPath}\"></script>")
            .Append("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a><header><nav aria-label=\"Main\"><span class=\"brand\">Pipeline</span><ul>");
        foreach (var (path, name) in Navigation)
            html.Append($"<li><a href=\"{path}\"{(path == current ? " aria-current=\"page\"" : "")}>{name}</a></li>");
        // Models and history live here; the Hangfire dashboard is the home of jobs (queues, retries, exceptions, progress).
        html.Append("<li><a href=\"/hangfire\" title=\"The Hangfire dashboard: jobs, their progress, retries and exceptions\">Jobs</a></li><li><a href=\"/openapi/v1.json\">API</a></li></ul></nav></header>")
            .Append($"<main id=\"main\"><h1>{E(title)}</h1>").Append(body).Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>A link to a Hangfire job's own page, where its state history and exceptions are.</summary>
    public static string JobLink(string? jobId, string? text = null) =>
        jobId is null ? "" : $"<a href=\"/hangfire/jobs/details/{Uri.EscapeDataString(jobId)}\">{E(text ?? $"job {jobId}")}</a>";

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "–",
        < 1 << 20 => $"{N(bytes.Value / 1024.0, "0.0")} KiB",
        _ => $"{N(bytes.Value / 1048576.0, "0.0")} MiB",
    };

    public static string Time(DateTimeOffset at) =>
        $"<time datetime=\"{E(at.ToString("O"))}\">{E(at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss"))} UTC</time>";
}
