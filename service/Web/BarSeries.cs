namespace Pipeline.Service.Web;

/// <summary>One series of a <see cref="BarChartSvg"/>: a value per category (null: no bar), optionally ± an error.</summary>
/// <param name="Errors">Half the whisker's length per category (a standard deviation); null draws no whiskers.</param>
public sealed record BarSeries(string Name, IReadOnlyList<double?> Values, IReadOnlyList<double?>? Errors = null);
