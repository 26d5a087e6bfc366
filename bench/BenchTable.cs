namespace Pipeline.Bench;

/// <summary>One table of a benchmark section: column headings and already formatted cells.</summary>
public sealed record BenchTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static BenchTable Of(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var list = rows.ToList();
        foreach (var row in list)
            if (row.Count != columns.Count)
                throw new ArgumentException($"A row has {row.Count} cells for {columns.Count} columns.", nameof(rows));
        return new BenchTable(columns, list);
    }
}
