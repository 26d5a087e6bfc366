using System.Xml.Linq;
using Pipeline.Evaluation;
using Pipeline.Service.Web;

namespace Pipeline.Tests.Web;

/// <summary>The server-side charts are well-formed SVG (they are inlined in HTML), with the numbers as text.</summary>
[Trait("Kind", "Unit")]
public class ChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // Parsed with the SVG namespace declared, as the HTML parser puts inline <svg> in it.
    private static XElement Parse(string svg) => XElement.Parse(svg.Replace("<svg ", $"<svg xmlns=\"{Svg}\" "));

    [Fact]
    public void Bar_chart_draws_a_whisker_only_where_a_standard_deviation_is_given_and_skips_missing_values()
    {
        var chart = Parse(new BarChartSvg
        {
            Title = "candidates",
            Categories = ["MobilenetV2", "RawPixels", "Failed<one>"],
            Series = [new BarSeries("macro", [0.8, 0.5, null], [0.05, null, null])],
        }.Render());

        var bars = chart.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "bar series-0").ToList();
        Assert.Equal(["MobilenetV2", "RawPixels"], bars.Select(b => (string)b.Attribute("data-category")!));
        Assert.Equal("0.800 ± 0.050", bars[0].Elements(Svg + "text").Single().Value);
        Assert.Equal("0.500", bars[1].Elements(Svg + "text").Single().Value);
        Assert.Single(chart.Descendants(Svg + "path"), p => (string?)p.Attribute("class") == "whisker");
        // The longer bar is the larger value: widths are proportional.
        var widths = bars.Select(b => double.Parse((string)b.Element(Svg + "rect")!.Attribute("width")!)).ToList();
        Assert.Equal(0.8 / 0.5, widths[0] / widths[1], 2);
        Assert.Contains(chart.Descendants(Svg + "text"), t => t.Value.StartsWith("Failed<one>"));
    }

    [Fact]
    public void Heatmap_has_one_cell_per_label_pair_shaded_by_the_share_of_its_row()
    {
        ConfusionMatrix matrix = new(["cat", "dog", "a & b"], [[8, 2, 0], [0, 1, 0], [1, 1, 1]]);
        var heatmap = Parse(new ConfusionHeatmapSvg(matrix, "confusion").Render());

        var cells = heatmap.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("cell") == true).ToList();
        Assert.Equal(9, cells.Count);
        string ClassOf(string actual, string predicted) => (string)cells.Single(c =>
            (string)c.Attribute("data-actual")! == actual && (string)c.Attribute("data-predicted")! == predicted).Attribute("class")!;
        Assert.Equal("cell shade-5 diagonal", ClassOf("dog", "dog"));   // 1 of 1
        Assert.Equal("cell shade-5 diagonal", ClassOf("cat", "cat"));   // 8 of 10
        Assert.Equal("cell shade-2", ClassOf("cat", "dog"));            // 2 of 10
        Assert.Equal("cell shade-0", ClassOf("cat", "a & b"));          // none
        Assert.Equal("cell shade-2 diagonal", ClassOf("a & b", "a & b")); // 1 of 3
        Assert.Equal(["8", "2", "0", "0", "1", "0", "1", "1", "1"], cells.Select(c => c.Element(Svg + "text")!.Value));
    }
}
