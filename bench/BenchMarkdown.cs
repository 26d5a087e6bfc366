using System.Globalization;
using System.Text;

namespace Pipeline.Bench;

/// <summary>Renders a <see cref="BenchReport"/> as docs/BENCHMARKS.md.</summary>
public static class BenchMarkdown
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine("Written by `scripts/bench.sh` (bench/); do not edit by hand, rerun it. Absolute times on shared machines are noise;");
        md.AppendLine("the ratios are measured within one run, side by side, and are the figures that count.");
        md.AppendLine();
        md.AppendLine("```bash");
        md.AppendLine(report.Command);
        md.AppendLine("```");
        md.AppendLine();
        var m = report.Machine;
        md.AppendLine("| machine | |");
        md.AppendLine("| --- | --- |");
        md.AppendLine($"| CPU | {m.Cpu} |");
        md.AppendLine($"| cores | {m.Cores} |");
        md.AppendLine($"| RAM | {m.MemoryGiB.ToString("0.0", CultureInfo.InvariantCulture)} GiB |");
        md.AppendLine($"| OS | {m.Os} |");
        md.AppendLine($"| .NET | {m.DotNet} |");
        md.AppendLine($"| ONNX Runtime | {m.OnnxRuntime} |");
        md.AppendLine($"| load average (1 min, the bench itself adds about 2) at start, at end | {m.LoadAverage.ToString("0.00", CultureInfo.InvariantCulture)}, " +
                      $"{report.LoadAverageAtEnd.ToString("0.00", CultureInfo.InvariantCulture)} |");
        md.AppendLine($"| run | {(report.Quick ? "quick (smoke sizes, numbers not meaningful)" : "full")}, {report.Elapsed.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min |");

        foreach (var section in report.Sections)
        {
            md.AppendLine();
            md.AppendLine($"## {section.Number}. {section.Title}");
            md.AppendLine();
            md.AppendLine(section.Method);
            foreach (var table in section.Tables)
            {
                md.AppendLine();
                md.AppendLine("| " + string.Join(" | ", table.Columns) + " |");
                md.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", table.Columns.Count)));
                foreach (var row in table.Rows)
                    md.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
            }

            if (section.Findings.Count > 0)
            {
                md.AppendLine();
                foreach (var finding in section.Findings) md.AppendLine($"- {finding}");
            }
        }

        return md.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
