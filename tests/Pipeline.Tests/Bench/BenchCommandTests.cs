using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Bench;

/// <summary>
/// The bench tool (bench/) at smoke sizes: every section runs end to end (including the served service and the memory probe
/// child, and the worker processes on PostgreSQL) and the report is well-formed Markdown. Timings are never asserted:
/// they are noise on shared machines.
/// </summary>
[Collection(SampleDataCollection.Name)]
[Trait("Kind", "Integration")]
public class BenchCommandTests
{
    private static readonly string[] SectionTitles =
    [
        "Featurisation", "Compute floor", "Incremental retrain", "Serving", "Memory", "Head trainers", "Workers",
        "Test-time averaging", "Shared trunk",
    ];

    [Fact]
    public async Task Quick_bench_writes_a_report_with_every_section_and_well_formed_tables()
    {
        var output = Path.Combine(RepositoryPaths.NewTempFolder("bench"), "BENCHMARKS.md");

        var result = await CliProcess.RunBenchAsync(TimeSpan.FromMinutes(15), "--quick", "--architectures", "MobilenetV2",
            "--out", output, "--data-root", RepositoryPaths.SharedDataRoot);

        Assert.True(result.ExitCode == 0, $"bench failed ({result.ExitCode}):\n{result.StandardError}");
        var lines = File.ReadAllLines(output);
        Assert.Equal("# Benchmarks", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("dotnet run -c Release --project bench -- --quick", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| ONNX Runtime | 1.", StringComparison.Ordinal));
        var headings = lines.Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        Assert.Equal(SectionTitles.Length, headings.Count);
        for (var i = 0; i < SectionTitles.Length; i++)
            Assert.StartsWith($"## {i + 1}. {SectionTitles[i]}", headings[i]);
        AssertTablesAreRectangular(lines);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\| MobilenetV2 \|.*\| \d+\.\d{3} \(target ≥ 0\.85: (met|not met)\)"));
    }

    /// <summary>Every row of a table has as many cells as its header, and the separator follows the header.</summary>
    private static void AssertTablesAreRectangular(IReadOnlyList<string> lines)
    {
        var tables = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith('|') || (i > 0 && lines[i - 1].StartsWith('|'))) continue;
            tables++;
            var columns = Cells(lines[i]);
            Assert.Matches(@"^\|( --- \|)+$", lines[i + 1]);
            Assert.Equal(columns, Cells(lines[i + 1]));
            for (var j = i + 2; j < lines.Count && lines[j].StartsWith('|'); j++)
                Assert.True(Cells(lines[j]) == columns, $"Row '{lines[j]}' does not have {columns} cells.");
        }

        Assert.True(tables >= 8, $"Expected a machine table and a table per section, found {tables} tables.");
    }

    private static int Cells(string row) => Regex.Split(row.Trim().Trim('|'), @"(?<!\\)\|").Length;
}
