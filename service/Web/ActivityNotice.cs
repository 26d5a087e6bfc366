using System.Text;
using Pipeline.Retraining;
using Pipeline.Datasets.Intake;
using Pipeline.Service.Jobs;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// The notice at the top of <c>/</c>: a retrain that is running (refreshing itself in place until it ends), the latest
/// drop with its counts, and "Retrain now" (<c>POST /api/retrain</c>, the same path as the API's callers).
/// </summary>
public static class ActivityNotice
{
    public static string Render(RetrainRecords retrains, DropRecords drops)
    {
        var running = retrains.List().Where(r => r.IsActive).ToList();
        var all = drops.All();
        var latestDrop = all.Count > 0 ? all[0] : null;
        var html = new StringBuilder("<section aria-labelledby=\"activity-title\" id=\"activity\" class=\"notice\"")
            // While a retrain runs the notice refreshes itself (site.js), and stops once the server stops marking it live.
            .Append(running.Count > 0 ? " data-live=\"3000\"" : "")
            .Append("><h2 id=\"activity-title\">Activity</h2><ul>");
        foreach (var r in running)
        {
            var done = r.Candidates.Values.Count(c => c.IsDone);
            html.Append($"<li data-retrain-running=\"{E(r.Id)}\"><progress aria-label=\"retrain of dataset version {r.DatasetVersion}\"></progress> ")
                .Append($"A retrain of dataset version {r.DatasetVersion} is running: {E(r.State)}, {done} of {r.Candidates.Count} candidates done ")
                .Append($"(asked for by {E(r.Trigger)}). <a href=\"/history\">History</a> · <a href=\"/hangfire/progress\">job progress</a></li>");
        }

        if (running.Count == 0) html.Append("<li>No retrain is running.</li>");
        if (latestDrop is { } d)
            html.Append($"<li data-latest-drop=\"{E(d.Id)}\">Latest drop: <a href=\"/drops/{Uri.EscapeDataString(d.Id)}\">{E(d.Name)}</a>, ")
                .Append($"{E(d.State)}, {d.Accepted} accepted, {d.Duplicates} duplicates, {d.Rejected} rejected")
                .Append(d.DatasetVersion is { } v ? $", dataset version {v}" : "").Append($" ({WebLayout.Time(d.UpdatedUtc)}).</li>");
        html.Append("</ul>")
            .Append("<form class=\"inline\" method=\"post\" action=\"/api/retrain\" data-fetch=\"retrain\">")
            .Append("<button type=\"submit\">Retrain now</button></form> ")
            .Append("<span id=\"retrain-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></span></section>");
        return html.ToString();
    }
}
