using System.Globalization;

namespace Pipeline.Bench;

/// <summary>Number formats shared by every table, invariant so the report reads the same on any machine.</summary>
internal static class BenchFormat
{
    public static string F(double value, string format = "0.0") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    public static string Ratio(double value) => F(value, "0.00");

    /// <summary>"0.912 (target ≥ 0.85: met)"; three decimals so that a value just past the target never reads as on it.</summary>
    public static string Verdict(double value, double target, bool atLeast) =>
        $"{F(value, "0.000")} (target {(atLeast ? "≥" : "≤")} {Ratio(target)}: {(Met(value, target, atLeast) ? "met" : "not met")})";

    public static bool Met(double value, double target, bool atLeast) => atLeast ? value >= target : value <= target;
}
