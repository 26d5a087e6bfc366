using System.Globalization;
using System.Text;
using Pipeline.Service.Models;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// A model's headline figures as a description list. Each value carries <c>data-figure</c> with the API's field name,
/// so the browser test can read what the page shows and compare it with <c>GET /api/models/{v}</c>.
/// </summary>
public static class ModelFigures
{
    public static string Render(ModelDetails details)
    {
        var m = details.Model;
        var html = new StringBuilder("<dl class=\"figures\">");
        Figure("Macro accuracy", "macroAccuracy", m.MacroAccuracy, N(m.MacroAccuracy));
        Figure("Micro accuracy", "microAccuracy", m.MicroAccuracy, N(m.MicroAccuracy));
        Figure($"Top-{details.TopK} accuracy", "topKAccuracy", details.TopKAccuracy, N(details.TopKAccuracy));
        Figure("Log-loss", "logLoss", m.LogLoss, N(m.LogLoss));
        Figure("Test images", "testImages", m.TestImages, m.TestImages.ToString(CultureInfo.InvariantCulture));
        Figure("Predict latency", "predictLatencyMs", m.PredictLatencyMs, N(m.PredictLatencyMs, "0.0") + " ms");
        Figure("Training time", "trainSeconds", details.TrainSeconds, N(details.TrainSeconds, "0.0") + " s");
        Figure("Size", "modelBytes", details.ModelBytes, WebLayout.Bytes(details.ModelBytes));
        return html.Append("</dl>").Append(ModelHeadsNote.Render(m.Heads)).ToString();

        // data-value holds the exact number, the text a rounded one for people.
        void Figure(string name, string field, double value, string shown) =>
            html.Append($"<div><dt>{E(name)}</dt><dd data-figure=\"{field}\" data-value=\"{E(value.ToString("R", CultureInfo.InvariantCulture))}\">{E(shown)}</dd></div>");
    }
}
