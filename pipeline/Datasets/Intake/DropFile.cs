namespace Pipeline.Datasets.Intake;

/// <summary>A file of a drop at the right place, <c>&lt;label&gt;/&lt;image&gt;</c>, not yet read.</summary>
/// <param name="RelativePath">Path under the drop, with '/' separators, e.g. <c>cat/a.png</c>.</param>
/// <param name="FullPath">Where the file is.</param>
public sealed record DropFile(string RelativePath, string FullPath);
