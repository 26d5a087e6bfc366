using System.Text;
using Pipeline.Registry;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary><c>/models</c>: every version, newest first, with promote and rollback.</summary>
public static class ModelListPage
{
    public static IResult Render(HttpContext context, ModelRegistry registry)
    {
        var serving = registry.Current()?.Version;
        var html = new StringBuilder();
        html.Append("<p id=\"action-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>");
        if (registry.List() is not { Count: > 0 } models)
            return WebLayout.Page(context, "Models", html.Append("<p>No model has been trained yet.</p>").ToString(), "/models");

        html.Append("<table id=\"model-versions\"><caption>Model versions; macro accuracy on each model's own test split</caption>")
            .Append("<thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Architecture</th><th scope=\"col\">Dataset version</th>")
            .Append("<th scope=\"col\">Labels</th><th scope=\"col\" class=\"num\">Macro acc.</th><th scope=\"col\" class=\"num\">Micro acc.</th>")
            .Append("<th scope=\"col\">Created</th><th scope=\"col\">Serving</th></tr></thead><tbody>");
        foreach (var m in models.OrderByDescending(m => m.Version))
        {
            var metrics = m.Manifest.Metrics;
            html.Append($"<tr data-version=\"{m.Version}\"{(m.Version == serving ? " class=\"serving\"" : "")}>")
                .Append($"<th scope=\"row\"><a href=\"/models/{m.Version}\">v{m.Version}</a></th><td>{E(m.Manifest.Architecture)}</td>")
                .Append($"<td>{E(m.Manifest.Lineage.DatasetVersion)}</td><td>{m.Manifest.Labels.Count}</td>")
                .Append($"<td class=\"num\">{N(metrics.MacroAccuracy)}</td><td class=\"num\">{N(metrics.MicroAccuracy)}</td>")
                .Append($"<td>{WebLayout.Time(m.Manifest.Lineage.CreatedUtc)}</td><td>{PromoteButton.Render(m.Version, serving)}</td></tr>");
        }

        return WebLayout.Page(context, "Models", html.Append("</tbody></table>").ToString(), "/models");
    }
}
