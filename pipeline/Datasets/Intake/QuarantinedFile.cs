namespace Pipeline.Datasets.Intake;

/// <summary>
/// A file a drop set aside, with why, and the label folder it was dropped under, so it can be shown beside that
/// label's images.
/// </summary>
/// <param name="Path">Its path as the drop's record lists it, relative to the drop (<c>cat/a.png</c>).</param>
/// <param name="Reason">Why it is not in the dataset.</param>
/// <param name="Drop">The drop that held it.</param>
public sealed record QuarantinedFile(string Path, string Reason, DropRecord Drop)
{
    /// <summary>
    /// The first folder of <see cref="Path"/> (<c>cat</c> for <c>cat/a.png</c>, also for a file nested too deep); null
    /// when the file was not under a folder: a file beside the label folders, an archive entry with an unsafe path
    /// (<c>../x</c>), or the drop itself when it was refused whole.
    /// </summary>
    public string? Label { get; } = LabelOf(Path);

    /// <summary>The file's name without its folders, as it is searched for.</summary>
    public string FileName => Path[(Path.LastIndexOfAny(Separators) + 1)..];

    private static readonly char[] Separators = ['/', '\\'];

    private static string? LabelOf(string path)
    {
        int cut = path.IndexOfAny(Separators);
        return cut <= 0 || path[..cut] is "." or ".." ? null : path[..cut];
    }
}
