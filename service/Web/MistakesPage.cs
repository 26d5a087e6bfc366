using System.Text;
using Pipeline.Datasets.Store;
using Pipeline.Service.Models;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// <c>/models/{v}/mistakes</c>: the test images model v got wrong, grouped by true → predicted label with the score it
/// gave and the file name it arrived under, each group anchored so that a confusion-matrix cell links to it. An image still in the latest dataset version
/// can be deleted or moved to its right label from here (<see cref="ImageActions"/>), which writes a new version and
/// starts its retrain.
/// </summary>
public static class MistakesPage
{
    public static string Anchor(string actual, string predicted) => $"mistakes-{Uri.EscapeDataString(actual)}--{Uri.EscapeDataString(predicted)}".Replace('%', '_');

    public static IResult Render(HttpContext context, int version, IReadOnlyList<Mistake> mistakes, DatasetVersion? latest)
    {
        var inLatest = latest?.Images.ToDictionary(i => i.Sha256) ?? [];
        var labels = latest?.Labels ?? [];
        var html = new StringBuilder();
        html.Append($"<p class=\"lead\" data-mistakes=\"{mistakes.Count}\">{mistakes.Count} test images of <a href=\"/models/{version}\">model v{version}</a> ")
            .Append("were predicted wrong. Fix a wrong label or remove a bad image: the change writes a new dataset version, which is retrained.</p>")
            .Append("<p id=\"action-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>");
        foreach (var group in mistakes.GroupBy(m => (m.Actual, m.Predicted)).OrderByDescending(g => g.Count()))
        {
            var (actual, predicted) = group.Key;
            html.Append($"<section id=\"{Anchor(actual, predicted)}\" data-actual=\"{E(actual)}\" data-predicted=\"{E(predicted)}\">")
                .Append($"<h2>{E(actual)} → {E(predicted)} ({group.Count()})</h2><ul class=\"thumbs\">");
            foreach (var m in group)
            {
                html.Append($"<li data-sha256=\"{m.Sha256}\"><img src=\"/api/datasets/images/{m.Sha256}/thumbnail\" width=\"96\" height=\"96\" loading=\"lazy\" ")
                    .Append($"alt=\"{E(actual)} image predicted as {E(predicted)}\">")
                    .Append(inLatest.GetValueOrDefault(m.Sha256)?.FileName is { } name ? $"<span class=\"file-name\" title=\"{E(name)}\">{E(name)}</span>" : "")
                    .Append($"<span class=\"meta\"><code title=\"{m.Sha256}\">{m.Sha256[..12]}</code> ")
                    .Append($"{E(predicted)} {N(m.Score * 100, "0.0")} %</span>");
                if (inLatest.TryGetValue(m.Sha256, out var entry))
                    html.Append(entry.Label == actual
                        ? ImageActions.Render(m.Sha256, entry.Label, labels, suggested: predicted)
                        : $"<span class=\"meta\">now labelled {E(entry.Label)}</span>");
                else
                    html.Append("<span class=\"meta\">not in the latest dataset version</span>");
                html.Append("</li>");
            }

            html.Append("</ul></section>");
        }

        return WebLayout.Page(context, $"Mistakes of model v{version}", html.ToString(), "/models");
    }
}
