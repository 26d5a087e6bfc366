using Pipeline.Retraining;
using System.Text;
using Pipeline.Datasets.Intake;
using Pipeline.Registry;
using Pipeline.Service.Jobs;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary><c>/history</c>: drops, retrains (with their Hangfire jobs) and promotion decisions, newest first.</summary>
public static class HistoryPage
{
    private const int Limit = 50;

    public static IResult Render(HttpContext context, DropRecords drops, RetrainRecords retrains, ModelRegistry registry)
    {
        var html = new StringBuilder();
        html.Append("<section aria-labelledby=\"drops-title\"><h2 id=\"drops-title\">Drops</h2>");
        var recent = drops.All().Take(Limit).ToList();
        if (recent.Count == 0) html.Append("<p>No drops yet.</p>");
        else
        {
            html.Append("<table id=\"drops\"><thead><tr><th scope=\"col\">Drop</th><th scope=\"col\">Received</th><th scope=\"col\">State</th>")
                .Append("<th scope=\"col\" class=\"num\">Accepted</th><th scope=\"col\" class=\"num\">Duplicates</th><th scope=\"col\" class=\"num\">Rejected</th>")
                .Append("<th scope=\"col\">Dataset version</th></tr></thead><tbody>");
            foreach (var d in recent)
                html.Append($"<tr><th scope=\"row\"><a href=\"/drops/{Uri.EscapeDataString(d.Id)}\">{E(d.Name)}</a></th><td>{WebLayout.Time(d.ReceivedUtc)}</td>")
                    .Append($"<td>{E(d.State)}</td><td class=\"num\">{d.Accepted}</td><td class=\"num\">{d.Duplicates}</td><td class=\"num\">{d.Rejected}</td>")
                    .Append($"<td>{E(d.DatasetVersion)}</td></tr>");
            html.Append("</tbody></table>");
        }

        html.Append("</section><section aria-labelledby=\"retrains-title\"><h2 id=\"retrains-title\">Retrains</h2>");
        var list = retrains.List().Take(Limit).ToList();
        if (list.Count == 0) html.Append("<p>No retrains yet.</p>");
        else
        {
            html.Append("<table id=\"retrains\"><thead><tr><th scope=\"col\">Dataset version</th><th scope=\"col\">Trigger</th><th scope=\"col\">State</th>")
                .Append("<th scope=\"col\">Candidate jobs</th><th scope=\"col\">Evaluation</th><th scope=\"col\">Model</th><th scope=\"col\">Updated</th></tr></thead><tbody>");
            foreach (var r in list)
                html.Append($"<tr><th scope=\"row\">{r.DatasetVersion}</th><td>{E(r.Trigger)}</td><td>{E(r.State)}</td><td>")
                    .Append(string.Join(", ", r.Architectures.Select(a =>
                        r.Candidates.GetValueOrDefault(a)?.JobId is { } job ? WebLayout.JobLink(job, a) : E(a))))
                    .Append($"</td><td>{WebLayout.JobLink(r.EvaluateJobId)}</td>")
                    .Append($"<td>{(r.RegisteredVersion is { } v ? $"<a href=\"/models/{v}\">v{v}</a>{(r.Promoted == true ? " (promoted)" : "")}" : "")}</td>")
                    .Append($"<td>{WebLayout.Time(r.UpdatedUtc)}</td></tr>");
            html.Append("</tbody></table>");
        }

        html.Append("</section><section aria-labelledby=\"decisions-title\"><h2 id=\"decisions-title\">Promotion decisions</h2>");
        var decisions = registry.Decisions().Reverse().Take(Limit).ToList();
        if (decisions.Count == 0) html.Append("<p>No decisions yet.</p>");
        else
        {
            html.Append("<table id=\"decisions\"><thead><tr><th scope=\"col\">At</th><th scope=\"col\">Kind</th><th scope=\"col\">Challenger</th>")
                .Append("<th scope=\"col\">Champion before</th><th scope=\"col\">Promoted</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
            foreach (var d in decisions)
                html.Append($"<tr><td>{WebLayout.Time(d.At)}</td><td>{E(d.Kind)}</td>")
                    .Append($"<td>{(d.Challenger is { } c ? $"<a href=\"/models/{c}\">v{c}</a> {(d.ChallengerMacroAccuracy is { } ca ? N(ca) : "")}" : "")}</td>")
                    .Append($"<td>{(d.ChampionBefore is { } b ? $"<a href=\"/models/{b}\">v{b}</a> {(d.ChampionMacroAccuracy is { } cb ? N(cb) : "")}" : "")}</td>")
                    .Append($"<td>{(d.Promoted ? "yes" : "no")}</td><td>{E(d.Reason)}</td></tr>");
            html.Append("</tbody></table>");
        }

        return WebLayout.Page(context, "History", html.Append("</section>").ToString(), "/history");
    }
}
