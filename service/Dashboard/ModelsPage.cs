using System.Text;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Pipeline.Registry;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Dashboard;

/// <summary>
/// Dashboard page: model versions with their metrics, which one serves, and every promotion decision: the jobs' view
/// of their outcome. The web UI's <c>/models</c> is the models' home (details, export, promote); this page links there.
/// </summary>
public sealed class ModelsPage : RazorPage
{
    public const string Route = "/models";

    public override void Execute()
    {
        Layout = new LayoutPage("Models");
        var registry = Context.GetHttpContext().RequestServices.GetRequiredService<ModelRegistry>();
        var serving = registry.Current()?.Version;

        var html = new StringBuilder();
        html.Append("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Models</h1>");
        html.Append(serving is { } s
            ? $"<div class=\"alert alert-success\" id=\"serving\">Serving model v{s}</div>"
            : "<div class=\"alert alert-warning\" id=\"serving\">No model is serving yet</div>");
        html.Append("<table class=\"table table-striped\" id=\"models\"><thead><tr><th>Version</th><th>Serving</th><th>Architecture</th>")
            .Append("<th>Dataset version</th><th>Labels</th><th>CV macro acc. (± sd, L2)</th><th>Macro acc.</th><th>Micro acc.</th><th>Log-loss</th><th>Test images</th>")
            .Append("<th>Latency</th><th>Created</th></tr></thead><tbody>");
        foreach (var m in registry.List().OrderByDescending(m => m.Version))
        {
            var metrics = m.Manifest.Metrics;
            html.Append($"<tr{(m.Version == serving ? " class=\"success serving-row\"" : "")}><td>v{m.Version}</td>")
                .Append($"<td>{(m.Version == serving ? "<span class=\"label label-success\">serving</span>" : "")}</td>")
                .Append($"<td>{E(m.Manifest.Architecture)}</td><td>{E(m.Manifest.Lineage.DatasetVersion)}</td>")
                .Append($"<td>{E(string.Join(", ", m.Manifest.Labels))}</td><td class=\"cv\">{Cv(metrics.CrossValidation)}</td><td>{N(metrics.MacroAccuracy)}</td><td>{N(metrics.MicroAccuracy)}</td>")
                .Append($"<td>{N(metrics.LogLoss)}</td><td>{metrics.TestImages}</td><td>{N(metrics.PredictLatencyMs, "0.0")} ms</td>")
                .Append($"<td>{E(m.Manifest.Lineage.CreatedUtc.ToString("u"))}</td></tr>");
        }

        html.Append("</tbody></table><h3>Decisions</h3><table class=\"table table-condensed\" id=\"decisions\"><thead><tr><th>At</th>")
            .Append("<th>Kind</th><th>Dataset version</th><th>Challenger</th><th>Champion before</th><th>Promoted</th><th>Reason</th></tr></thead><tbody>");
        foreach (var d in registry.Decisions().Reverse())
            html.Append($"<tr><td>{E(d.At.ToString("u"))}</td><td>{E(d.Kind)}</td><td>{E(d.DatasetVersion)}</td>")
                .Append($"<td>{(d.Challenger is { } c ? $"v{c}" : "")}</td><td>{(d.ChampionBefore is { } b ? $"v{b}" : "")}</td>")
                .Append($"<td>{(d.Promoted ? "yes" : "no")}</td><td>{E(d.Reason)}</td></tr>");
        html.Append("</tbody></table>").Append(WebUiPointer).Append("</div></div>").Append(AutoRefreshWhileBusy(Context.GetHttpContext().RequestServices));
        WriteLiteral(html.ToString());
    }

    private static string Cv(Pipeline.Evaluation.CrossValidationReport? cv) =>
        cv is null ? "" : $"{N(cv.MeanMacroAccuracy)} ± {N(cv.SdMacroAccuracy)} ({cv.Folds} folds, L2 {N(cv.L2, "0.#")}{(cv.BalancedLabels ? ", labels balanced" : "")})";
}
