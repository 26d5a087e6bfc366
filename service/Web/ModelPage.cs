using System.Text;
using Pipeline.Service.Models;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// <c>/models/{v}</c>: one model as <c>GET /api/models/{v}</c> describes it: figures, per-label precision, recall
/// and F1, the confusion matrix, its retrain's candidates side by side, and its lineage. Every chart has a table of
/// the same numbers beside it, for screen readers and for copying.
/// </summary>
public static class ModelPage
{
    public static IResult Render(HttpContext context, ModelDetails details, int? servingVersion)
    {
        var m = details.Model;
        var html = new StringBuilder();
        html.Append($"<p class=\"lead\" data-version=\"{m.Version}\">{E(m.Architecture)} on dataset version {E(m.DatasetVersion)}, ")
            .Append($"{m.Labels.Count} labels. {PromoteButton.Render(m.Version, servingVersion)}</p>")
            .Append("<p id=\"action-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>")
            .Append(ExportLinks(m.Version))
            .Append("<section aria-labelledby=\"figures-title\"><h2 id=\"figures-title\">Figures on the test split</h2>")
            .Append(ModelFigures.Render(details)).Append("</section>");

        html.Append("<section aria-labelledby=\"per-class-title\" id=\"per-class\"><h2 id=\"per-class-title\">Per label</h2>")
            .Append(new BarChartSvg
            {
                Title = $"Precision, recall and F1 per label of model v{m.Version}",
                Categories = details.PerClass.Select(c => c.Label).ToList(),
                Series =
                [
                    new BarSeries("precision", details.PerClass.Select(c => (double?)c.Precision).ToList()),
                    new BarSeries("recall", details.PerClass.Select(c => (double?)c.Recall).ToList()),
                    new BarSeries("F1", details.PerClass.Select(c => (double?)c.F1).ToList()),
                ],
            }.Render())
            .Append("<details><summary>Table</summary><table id=\"per-class-table\"><thead><tr><th scope=\"col\">Label</th>")
            .Append("<th scope=\"col\" class=\"num\">Test images</th><th scope=\"col\" class=\"num\">Precision</th>")
            .Append("<th scope=\"col\" class=\"num\">Recall</th><th scope=\"col\" class=\"num\">F1</th></tr></thead><tbody>");
        foreach (var c in details.PerClass)
            html.Append($"<tr><th scope=\"row\">{E(c.Label)}</th><td class=\"num\">{c.Support}</td><td class=\"num\">{N(c.Precision)}</td>")
                .Append($"<td class=\"num\">{N(c.Recall)}</td><td class=\"num\">{N(c.F1)}</td></tr>");
        html.Append("</tbody></table></details></section>");

        html.Append("<section aria-labelledby=\"confusion-title\" id=\"confusion\"><h2 id=\"confusion-title\">Confusion matrix</h2>")
            .Append("<p>Rows are the true labels, columns the predicted ones; a cell's shade is its share of the row. ")
            .Append($"A cell off the diagonal links to its images: <a href=\"/models/{m.Version}/mistakes\" id=\"mistakes-link\">all mistakes of v{m.Version}</a>.</p>")
            .Append(new ConfusionHeatmapSvg(details.ConfusionMatrix, $"Confusion matrix of model v{m.Version}: count of test images per actual and predicted label",
                (actual, predicted) => $"/models/{m.Version}/mistakes#{MistakesPage.Anchor(actual, predicted)}").Render())
            .Append("</section>");

        html.Append(Candidates(details.Retrain));
        html.Append(Lineage(details));
        return WebLayout.Page(context, $"Model v{m.Version}", html.ToString(), "/models");
    }

    private static string Candidates(RetrainCandidates? retrain)
    {
        var html = new StringBuilder("<section aria-labelledby=\"candidates-title\" id=\"candidates\"><h2 id=\"candidates-title\">Candidates of its retrain</h2>");
        if (retrain is null)
            return html.Append("<p>No retrain of this service produced this model (it was registered directly), so there are no candidates to show.</p></section>").ToString();

        var crossValidated = retrain.Candidates.Any(c => c.CrossValidatedMean is not null);
        html.Append($"<p>Retrain <code>{E(retrain.RetrainId)}</code> of dataset version {retrain.DatasetVersion}: {E(retrain.State)}")
            .Append(retrain.EvaluateJobId is { } job ? $", decided by {WebLayout.JobLink(job, $"evaluation job {job}")}" : "")
            .Append($". {E(retrain.Reason)}</p>")
            .Append(new BarChartSvg
            {
                Title = crossValidated ? "Cross-validated macro accuracy per candidate, mean ± standard deviation" : "Macro accuracy per candidate on the test split",
                Categories = retrain.Candidates.Select(c => c.Architecture + (c.Chosen ? " (chosen)" : "")).ToList(),
                Series = [new BarSeries(crossValidated ? "macro accuracy, cross-validated" : "macro accuracy",
                    retrain.Candidates.Select(c => c.Score).ToList(), retrain.Candidates.Select(c => c.CrossValidatedSd).ToList())],
            }.Render())
            .Append("<table id=\"candidates-table\"><thead><tr><th scope=\"col\">Architecture</th><th scope=\"col\">State</th>")
            .Append("<th scope=\"col\" class=\"num\">Macro acc. (test)</th><th scope=\"col\" class=\"num\">Cross-validated</th>")
            .Append("<th scope=\"col\" class=\"num\">Training time</th><th scope=\"col\" class=\"num\">Size</th>")
            .Append("<th scope=\"col\" class=\"num\">Latency</th><th scope=\"col\">Job</th></tr></thead><tbody>");
        foreach (var c in retrain.Candidates)
            html.Append($"<tr data-architecture=\"{E(c.Architecture)}\"{(c.Chosen ? " class=\"chosen\"" : "")}><th scope=\"row\">{E(c.Architecture)}{(c.Chosen ? " <span class=\"badge\">chosen</span>" : "")}</th>")
                .Append($"<td>{E(c.State)}{(c.Error is { } e ? $": {E(e)}" : "")}</td>")
                .Append($"<td class=\"num\">{Maybe(c.MacroAccuracy)}</td>")
                .Append($"<td class=\"num\">{(c.CrossValidatedMean is { } mean ? $"{N(mean)} ± {Maybe(c.CrossValidatedSd)} ({c.Folds} folds)" : "–")}</td>")
                .Append($"<td class=\"num\">{(c.TrainSeconds is { } t ? N(t, "0.0") + " s" : "–")}</td><td class=\"num\">{WebLayout.Bytes(c.ModelBytes)}</td>")
                .Append($"<td class=\"num\">{(c.PredictLatencyMs is { } l ? N(l, "0.0") + " ms" : "–")}</td><td>{WebLayout.JobLink(c.JobId)}</td></tr>");
        return html.Append("</tbody></table></section>").ToString();
    }

    private static string Lineage(ModelDetails details)
    {
        var l = details.Lineage;
        var html = new StringBuilder("<section aria-labelledby=\"lineage-title\" id=\"lineage\"><h2 id=\"lineage-title\">Lineage</h2><dl class=\"pairs\">")
            .Append($"<dt>Data source</dt><dd><code>{E(l.DataSource)}</code></dd><dt>Dataset version</dt><dd>{E(l.DatasetVersion)}</dd>")
            .Append($"<dt>Split</dt><dd>{l.TrainImages.Count} training images, {l.TestImages.Count} test images (test fraction {N(l.TestFraction, "0.##")}, seed {l.Seed})</dd>")
            .Append("<dt>Head</dt>").Append(ModelHeadFit.Render(details.CrossValidation))
            .Append($"<dt>Created</dt><dd>{WebLayout.Time(l.CreatedUtc)}</dd><dt>Packages</dt><dd>")
            .Append(E(string.Join(", ", l.Packages.Select(p => $"{p.Key} {p.Value}"))))
            .Append($"</dd></dl><p><a href=\"/api/models/{details.Model.Version}\">The same as JSON</a>, with every image's hash.</p></section>");
        return html.ToString();
    }

    /// <summary>The API's export, as links: a plain GET that downloads, with or without the script.</summary>
    private static string ExportLinks(int version) =>
        $"<p id=\"export\">Export: <a href=\"/api/models/{version}/export?format=onnx\" download data-format=\"onnx\">ONNX graph</a> · " +
        $"<a href=\"/api/models/{version}/export?format=mlnet\" download data-format=\"mlnet\">ML.NET model (.zip)</a></p>";

    private static string Maybe(double? value) => value is { } v ? N(v) : "–";
}
