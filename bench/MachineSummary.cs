using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Pipeline.Bench;

/// <summary>What the numbers were measured on: they mean little without it.</summary>
public sealed record MachineSummary(string Cpu, int Cores, double MemoryGiB, string Os, string DotNet, string OnnxRuntime,
    double LoadAverage)
{
    public static MachineSummary Read() => new(
        Cpu: ProcFile("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Cores: Environment.ProcessorCount,
        MemoryGiB: ParseKiB(ProcFile("/proc/meminfo", "MemTotal")) / (1024.0 * 1024.0),
        Os: RuntimeInformation.OSDescription,
        DotNet: RuntimeInformation.FrameworkDescription,
        OnnxRuntime: OrtEnv.Instance().GetVersionString(),
        LoadAverage: ReadLoadAverage());

    /// <summary>The one-minute load average: how busy the machine's other tenants kept it.</summary>
    public static double ReadLoadAverage() => File.Exists("/proc/loadavg")
        ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
        : double.NaN;

    /// <summary>The value of the first <c>key: value</c> line of a /proc file, or null off Linux.</summary>
    internal static string? ProcFile(string path, string key)
    {
        if (!File.Exists(path)) return null;
        return File.ReadLines(path)
            .Where(line => line.StartsWith(key, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
            .FirstOrDefault();
    }

    /// <summary>"123456 kB" to 123456.</summary>
    internal static double ParseKiB(string? value) =>
        value is null ? 0 : double.Parse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0],
            System.Globalization.CultureInfo.InvariantCulture);
}
