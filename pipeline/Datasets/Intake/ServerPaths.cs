using System.Text.RegularExpressions;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// Keeps absolute server paths out of what a drop's record and quarantine say: anyone who may read a drop may not
/// know where the service keeps its files. Exception messages (file-system errors) carry full paths; this cuts each
/// to its last segment.
/// </summary>
public static partial class ServerPaths
{
    public static string Hide(string text) =>
        AbsolutePath().Replace(text, m => "…/" + m.Value[(m.Value.TrimEnd('/').LastIndexOf('/') + 1)..]);

    // An absolute path of two or more segments, not inside a word or a relative path ("cat/a.png", "<label>/<image>").
    [GeneratedRegex(@"(?<![\w.<>/-])/(?:[^\s'""/:]+/)+[^\s'""/:,;)]*")]
    private static partial Regex AbsolutePath();
}
