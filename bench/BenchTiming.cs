using System.Diagnostics;

namespace Pipeline.Bench;

/// <summary>Timing one call and the median of many, for the sections that time predict-sized work call by call.</summary>
public static class BenchTiming
{
    /// <summary>The call's wall time in milliseconds.</summary>
    public static double Milliseconds(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>The median (the upper one of an even count); sorts <paramref name="values"/>.</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
