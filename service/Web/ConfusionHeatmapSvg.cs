using System.Text;
using Pipeline.Evaluation;
using static Pipeline.Service.Dashboard.DashboardHtml;
using static Pipeline.Service.Web.BarChartSvg;

namespace Pipeline.Service.Web;

/// <summary>
/// A confusion matrix as an SVG heatmap: one cell per (actual, predicted) pair with its count written in it, shaded by
/// the share of the actual label's test images it holds (so a rare label's mistakes show as clearly as a common one's).
/// </summary>
public sealed class ConfusionHeatmapSvg(ConfusionMatrix matrix, string title, Func<string, string, string>? linkOf = null)
{
    private const int AxisTitle = 18;

    public string Render()
    {
        var labels = matrix.Labels;
        var k = labels.Count;
        // Cells shrink with more labels but stay big enough to hold a three-digit count.
        var cell = Math.Clamp(420 / Math.Max(k, 1), 26, 56);
        // Room for the longest (shortened) label: beside the rows as is, above the columns turned by 60 degrees.
        var longest = labels.Select(l => Short(l).Length).DefaultIfEmpty(1).Max();
        // The column labels lean right: the last one reaches cos 60° of its length past the last column.
        var text = longest * CharWidth;
        int left = AxisTitle + 12 + (int)Math.Ceiling(text), top = AxisTitle + 12 + (int)Math.Ceiling(text * Math.Sin(Math.PI / 3));
        int width = left + k * cell + 4 + (int)Math.Ceiling(text * 0.5), height = top + k * cell + 4;
        var id = "heatmap-" + Guid.NewGuid().ToString("N")[..8];
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart heatmap\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}\">")
            .Append($"<title id=\"{id}\">{E(title)}</title>");
        int x0 = left, y0 = top;
        svg.Append($"<text class=\"axis-title\" x=\"{F(x0 + k * cell / 2.0)}\" y=\"12\" text-anchor=\"middle\">predicted</text>")
            .Append($"<text class=\"axis-title\" transform=\"translate(12 {F(y0 + k * cell / 2.0)}) rotate(-90)\" text-anchor=\"middle\">actual</text>");
        for (var i = 0; i < k; i++)
        {
            svg.Append($"<text class=\"axis\" x=\"{x0 - 6}\" y=\"{F(y0 + i * cell + cell / 2.0 + 4)}\" text-anchor=\"end\">{E(Short(labels[i]))}<title>{E(labels[i])}</title></text>")
                .Append($"<text class=\"axis\" transform=\"translate({F(x0 + i * cell + cell / 2.0 + 4)} {y0 - 6}) rotate(-60)\">{E(Short(labels[i]))}<title>{E(labels[i])}</title></text>");
        }

        for (var a = 0; a < k; a++)
        {
            var row = matrix.Counts[a];
            var total = row.Sum();
            for (var p = 0; p < k; p++)
            {
                var count = row[p];
                var share = total == 0 ? 0 : (double)count / total;
                // Five shades, darker with the share; the class names carry the colours (and the text contrast).
                var shade = count == 0 ? 0 : 1 + (int)Math.Min(4, Math.Floor(share * 5));
                double x = x0 + p * cell, y = y0 + a * cell;
                // A cell of mistakes links to those images (linkOf), so one click goes from a number to the pictures.
                var link = a != p && count > 0 ? linkOf?.Invoke(labels[a], labels[p]) : null;
                if (link is not null) svg.Append($"<a href=\"{E(link)}\">");
                svg.Append($"<g class=\"cell shade-{shade}{(a == p ? " diagonal" : "")}\" data-actual=\"{E(labels[a])}\" data-predicted=\"{E(labels[p])}\" data-count=\"{count}\">")
                    .Append($"<title>actual {E(labels[a])}, predicted {E(labels[p])}: {count} of {total}</title>")
                    .Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{cell - 1}\" height=\"{cell - 1}\"/>")
                    .Append($"<text x=\"{F(x + cell / 2.0)}\" y=\"{F(y + cell / 2.0 + 4)}\" text-anchor=\"middle\">{count}</text></g>");
                if (link is not null) svg.Append("</a>");
            }
        }

        return svg.Append("</svg>").ToString();
    }
}
