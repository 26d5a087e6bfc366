namespace Pipeline.Datasets;

/// <summary>A file that will not be used, and why, in words a person can act on.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Reason">For example "PNG is truncated: its pixel data ends early" or "duplicate of /data/cat/a.jpg".</param>
public sealed record RejectedFile(string Path, string Reason);
