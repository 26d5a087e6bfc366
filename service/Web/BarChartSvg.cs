using System.Globalization;
using System.Text;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// Horizontal grouped bars as inline SVG, drawn on the server so that the page needs no script or chart library.
/// Values run from 0 to <see cref="Max"/>; each bar carries its number as text, so colour is never the only cue.
/// </summary>
public sealed class BarChartSvg
{
    private const int PlotWidth = 400, ValueWidth = 110, BarHeight = 16, GroupGap = 10, Top = 8;

    /// <summary>
    /// Room per character of a label at the charts' 12 px font, rounded up from the widest common glyphs, so that the
    /// margin is sized by the longest label instead of cutting it ("transpor", "esnet18+Resnet18Sp…" were cut).
    /// </summary>
    internal const double CharWidth = 7.5;

    public required string Title { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public required IReadOnlyList<BarSeries> Series { get; init; }
    public double Max { get; init; } = 1;
    public string Format { get; init; } = "0.000";

    public string Render()
    {
        var longest = Categories.Select(c => Short(c).Length).DefaultIfEmpty(1).Max();
        var labelWidth = Math.Max(60, 12 + (int)Math.Ceiling(longest * CharWidth));
        var plot = PlotWidth;
        var width = labelWidth + PlotWidth + ValueWidth;
        var groupHeight = Series.Count * BarHeight + GroupGap;
        var legend = Series.Count > 1 ? 22 : 0;
        var height = Top + Categories.Count * groupHeight + legend;
        var id = "chart-" + Guid.NewGuid().ToString("N")[..8];
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart bars\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}\">")
            .Append($"<title id=\"{id}\">{E(Title)}</title>");
        for (var c = 0; c < Categories.Count; c++)
        {
            var y0 = Top + c * groupHeight;
            svg.Append($"<text class=\"axis\" x=\"{labelWidth - 6}\" y=\"{F(y0 + Series.Count * BarHeight / 2.0 + 4)}\" text-anchor=\"end\">{E(Short(Categories[c]))}<title>{E(Categories[c])}</title></text>");
            for (var s = 0; s < Series.Count; s++)
            {
                if (Series[s].Values[c] is not { } value) continue;
                var error = Series[s].Errors?[c];
                var y = y0 + s * BarHeight;
                var w = Scale(value, plot);
                var text = value.ToString(Format, CultureInfo.InvariantCulture) + (error is { } sd ? $" ± {sd.ToString(Format, CultureInfo.InvariantCulture)}" : "");
                svg.Append($"<g class=\"bar series-{s}\" data-category=\"{E(Categories[c])}\" data-series=\"{E(Series[s].Name)}\" data-value=\"{E(value.ToString("R", CultureInfo.InvariantCulture))}\">")
                    .Append($"<title>{E(Categories[c])}, {E(Series[s].Name)}: {E(text)}</title>")
                    .Append($"<rect x=\"{labelWidth}\" y=\"{y + 1}\" width=\"{F(w)}\" height=\"{BarHeight - 2}\"/>");
                if (error is { } e)
                {
                    double lo = labelWidth + Scale(value - e, plot), hi = labelWidth + Scale(value + e, plot), mid = y + BarHeight / 2.0;
                    svg.Append($"<path class=\"whisker\" d=\"M{F(lo)} {F(mid)}H{F(hi)}M{F(lo)} {F(mid - 4)}V{F(mid + 4)}M{F(hi)} {F(mid - 4)}V{F(mid + 4)}\"/>");
                }

                svg.Append($"<text class=\"value\" x=\"{F(labelWidth + Math.Max(w, error is { } e2 ? Scale(value + e2, plot) : 0) + 4)}\" y=\"{F(y + BarHeight - 4)}\">{E(text)}</text></g>");
            }
        }

        if (legend > 0)
            for (var s = 0; s < Series.Count; s++)
            {
                var x = labelWidth + s * 130;
                svg.Append($"<g class=\"legend series-{s}\"><rect x=\"{x}\" y=\"{height - 16}\" width=\"12\" height=\"12\"/>")
                    .Append($"<text x=\"{x + 16}\" y=\"{height - 6}\">{E(Series[s].Name)}</text></g>");
            }

        return svg.Append("</svg>").ToString();
    }

    private double Scale(double value, int plot) => Math.Clamp(value / Max, 0, 1) * plot;

    internal static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Very long axis labels are cut (the margin grows with the label up to this); the full name is in the
    /// element's tooltip and the tables beside.</summary>
    internal static string Short(string label) => label.Length <= 40 ? label : label[..39] + "…";
}
