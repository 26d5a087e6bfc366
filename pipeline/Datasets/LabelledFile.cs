namespace Pipeline.Datasets;

/// <summary>A file under a label folder, found but not yet read.</summary>
internal sealed record LabelledFile(string Path, string Label);
