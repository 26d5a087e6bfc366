using Pipeline.Retraining;
using System.Text;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Pipeline.Service.Drops;
using Pipeline.Service.Jobs;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Dashboard;

/// <summary>Dashboard page: every job's stage, percent, images processed and ETA, and every retrain; refreshes itself while one runs.</summary>
public sealed class ProgressPage : RazorPage
{
    public const string Route = "/progress";

    public override void Execute()
    {
        Layout = new LayoutPage("Progress");
        var services = Context.GetHttpContext().RequestServices;
        var jobs = services.GetRequiredService<JobProgressStore>().List();
        var retrains = services.GetRequiredService<RetrainRecords>().List();

        var html = new StringBuilder();
        html.Append("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Progress</h1>");
        html.Append("<h3>Jobs</h3>");
        if (jobs.Count == 0) html.Append("<div class=\"alert alert-info\" id=\"no-jobs\">No job has run in this process yet.</div>");
        else
        {
            html.Append("<table class=\"table table-striped\" id=\"job-progress\"><thead><tr><th>Job</th><th>Retrain</th><th>Architecture</th>")
                .Append("<th>State</th><th>Stage</th><th style=\"width:20%\">Percent</th><th>Images</th><th>ETA</th><th>Detail</th></tr></thead><tbody>");
            foreach (var j in jobs)
            {
                html.Append($"<tr class=\"job-row\" data-state=\"{E(j.State)}\" data-stage=\"{E(j.Stage)}\">")
                    .Append($"<td><a href=\"{E(j.Kind == DropProgress.Kind ? $"/api/drops/{DropProgress.DropIdOf(j.JobId)}" : Url.JobDetails(j.JobId))}\">{E(j.JobId)}</a></td>")
                    .Append($"<td>{E(j.RetrainId ?? "")}</td><td>{E(j.Architecture ?? (j.Kind == DropProgress.Kind ? "(drop intake)" : "(evaluate)"))}</td><td>{E(j.State)}</td>")
                    .Append($"<td class=\"stage\">{E(j.Stage)}</td>")
                    .Append($"<td><div class=\"progress\" style=\"margin:0\"><div class=\"progress-bar\" role=\"progressbar\" style=\"width:{N(j.Percent, "0.#")}%\">{N(j.Percent, "0.#")}%</div></div></td>")
                    .Append($"<td>{j.ImagesProcessed}/{j.ImagesTotal}</td><td>{E(Duration(j.EtaSeconds))}</td>")
                    .Append($"<td>{E(j.Message ?? j.Detail)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<h3>Retrains</h3>");
        html.Append("<table class=\"table table-condensed\" id=\"retrains\"><thead><tr><th>Retrain</th><th>Dataset version</th><th>State</th>")
            .Append("<th>Candidates</th><th>Model</th><th>Reason</th></tr></thead><tbody>");
        foreach (var r in retrains)
        {
            var candidates = string.Join(", ", r.Candidates.Select(c => c.Value.MacroAccuracy is { } acc
                ? $"{c.Key} {c.Value.State} ({N(acc)})" : $"{c.Key} {c.Value.State}"));
            html.Append($"<tr><td>{E(r.Id)}</td><td>{r.DatasetVersion}</td><td>{E(r.State)}</td><td>{E(candidates)}</td>")
                .Append($"<td>{(r.RegisteredVersion is { } v ? $"v{v}{(r.Promoted == true ? " (promoted)" : "")}" : "")}</td><td>{E(r.Reason)}</td></tr>");
        }

        html.Append("</tbody></table>").Append(WebUiPointer).Append("</div></div>").Append(AutoRefreshWhileBusy(services));
        WriteLiteral(html.ToString());
    }
}
