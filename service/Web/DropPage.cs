using Pipeline.Retraining;
using System.Text;
using Pipeline.Datasets.Intake;
using Pipeline.Service.Drops;
using Pipeline.Service.Jobs;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// <c>/drops/{id}</c>: what became of one drop, followed through to its retrain and the promotion decision. While
/// anything is still moving, the live part carries <c>data-live</c> and the script refreshes it in place every two
/// seconds (without a script, the Refresh link does the same).
/// </summary>
public static class DropPage
{
    public static IResult Render(HttpContext context, DropRecord drop, RetrainRecords retrains, JobProgressStore progress)
    {
        var retrain = drop.DatasetVersion is { } v ? retrains.Get(RetrainRecord.IdFor(v)) : null;
        var settled = drop.State == DropState.Rejected ||
                      (drop.State == DropState.Ingested && (drop.DatasetVersion is null || retrain is { IsActive: false }));
        var html = new StringBuilder();
        html.Append($"<div id=\"drop-live\"{(settled ? "" : " data-live=\"2000\"")} aria-busy=\"{(settled ? "false" : "true")}\">")
            .Append("<section aria-labelledby=\"drop-title\"><h2 id=\"drop-title\">Ingestion</h2><dl class=\"pairs\">")
            .Append($"<dt>State</dt><dd data-drop-state=\"{E(drop.State)}\">{E(drop.State)}</dd>")
            .Append($"<dt>Received</dt><dd>{E(drop.Name)} ({E(drop.Origin)}) at {WebLayout.Time(drop.ReceivedUtc)}</dd>")
            .Append($"<dt>Files</dt><dd><span data-count=\"accepted\">{drop.Accepted}</span> accepted, <span data-count=\"duplicates\">{drop.Duplicates}</span> duplicates, ")
            .Append($"<span data-count=\"rejected\">{drop.Rejected}</span> rejected</dd>")
            .Append($"<dt>Labels</dt><dd>{(drop.Labels.Count == 0 ? "–" : E(string.Join(", ", drop.Labels.Select(l => $"{l.Key} ({l.Value})"))))}</dd>")
            .Append($"<dt>Dataset version</dt><dd>{(drop.DatasetVersion is { } version ? version.ToString() : "–")}</dd>");
        if (drop.Reason is { } reason) html.Append($"<dt>Note</dt><dd>{E(reason)}</dd>");
        if (drop.Error is { } error) html.Append($"<dt>Error</dt><dd>{E(error)} (it is tried again at the next start)</dd>");
        html.Append("</dl>");
        if (progress.Get(DropProgress.JobIdOf(drop.Id)) is { State: "running" } ingest)
            html.Append(Progress($"Ingesting: {ingest.Detail}", ingest.Percent));
        html.Append("</section>").Append(Retrain(retrain, progress)).Append(Rejected(drop));
        if (!settled) html.Append($"<p><a href=\"/drops/{Uri.EscapeDataString(drop.Id)}\">Refresh</a></p>");
        html.Append("</div>");
        return WebLayout.Page(context, $"Drop {drop.Id}", html.ToString());
    }

    private static string Retrain(RetrainRecord? retrain, JobProgressStore progress)
    {
        var html = new StringBuilder("<section aria-labelledby=\"retrain-title\"><h2 id=\"retrain-title\">Retrain</h2>");
        if (retrain is null)
            return html.Append("<p>No retrain yet: one starts when the drop makes a new dataset version.</p></section>").ToString();

        html.Append($"<p><code>{E(retrain.Id)}</code>: <span data-retrain-state=\"{E(retrain.State)}\">{E(retrain.State)}</span>");
        if (retrain.State == RetrainState.Completed && retrain.RegisteredVersion is { } registered)
            html.Append(retrain.Promoted == true
                ? $". <strong data-promoted-version=\"{registered}\">Model <a href=\"/models/{registered}\">v{registered}</a> promoted</strong>"
                : $". Model <a href=\"/models/{registered}\">v{registered}</a> was not promoted");
        html.Append(retrain.Reason is { } reason ? $". {E(reason)}</p>" : "</p>");

        html.Append("<table class=\"candidates\"><thead><tr><th scope=\"col\">Candidate</th><th scope=\"col\">State</th>")
            .Append("<th scope=\"col\">Progress</th><th scope=\"col\">Job</th></tr></thead><tbody>");
        foreach (var architecture in retrain.Architectures)
        {
            var outcome = retrain.Candidates.GetValueOrDefault(architecture) ?? CandidateOutcome.Pending;
            var job = outcome.JobId is { } id ? progress.Get(id) : null;
            html.Append($"<tr><th scope=\"row\">{E(architecture)}</th><td>{E(outcome.State)}{(outcome.Error is { } e ? $": {E(e)}" : "")}</td><td>")
                .Append(job is { State: "running" } ? Progress($"{job.Stage} {job.Detail}", job.Percent)
                    : outcome.MacroAccuracy is { } macro ? $"macro accuracy {N(macro)}" : "")
                .Append($"</td><td>{WebLayout.JobLink(outcome.JobId)}</td></tr>");
        }

        html.Append("</tbody></table>");
        if (retrain.EvaluateJobId is { } evaluate)
            html.Append($"<p>Evaluation and promotion: {WebLayout.JobLink(evaluate)}</p>");
        return html.Append("</section>").ToString();
    }

    private static string Rejected(DropRecord drop)
    {
        var html = new StringBuilder("<section aria-labelledby=\"rejected-title\"><h2 id=\"rejected-title\">Rejected files</h2>");
        if (drop.RejectedFiles.Count == 0) return html.Append("<p>None.</p></section>").ToString();
        html.Append("<table id=\"rejected-files\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
        foreach (var file in drop.RejectedFiles)
            html.Append($"<tr><td><code>{E(file.Path)}</code></td><td>{E(file.Reason)}</td></tr>");
        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Progress(string text, double percent) =>
        $"<label class=\"progress\">{E(text)} <progress max=\"100\" value=\"{N(percent, "0.#")}\">{N(percent, "0")}%</progress> {N(percent, "0")}%</label>";
}
