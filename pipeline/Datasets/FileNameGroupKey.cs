using System.Globalization;

namespace Pipeline.Datasets;

/// <summary>
/// The design group of a training image, read from its file name (<c>train --group-by</c>): <c>prefix:N</c> takes the
/// first N characters of the name, <c>before:C</c> the name up to the first C (the whole name without its extension
/// when there is none). <c>emoji/smile/google-1f600.png</c> with <c>before:-</c> is in group <c>google</c>;
/// <c>cards/heart_1/anglo.png</c> with <c>before:.</c> is in group <c>anglo</c>.
/// </summary>
public sealed class FileNameGroupKey
{
    private readonly Func<string, string> _groupOf;

    private FileNameGroupKey(string spec, Func<string, string> groupOf)
    {
        Spec = spec;
        _groupOf = groupOf;
    }

    /// <summary>The text it was parsed from, for the report.</summary>
    public string Spec { get; }

    /// <summary>The group of the file at <paramref name="path"/>.</summary>
    public string GroupOf(string path) => _groupOf(Path.GetFileName(path));

    /// <summary>The images with their <see cref="LabelledImage.Group"/> set by this key.</summary>
    public IReadOnlyList<LabelledImage> Apply(IEnumerable<LabelledImage> images) =>
        images.Select(i => i with { Group = GroupOf(i.Path) }).ToList();

    /// <exception cref="PipelineException">The text is neither <c>prefix:N</c> (N ≥ 1) nor <c>before:C</c> (one character).</exception>
    public static FileNameGroupKey Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':');
        var (kind, value) = colon < 0 ? (spec, "") : (spec[..colon], spec[(colon + 1)..]);
        switch (kind)
        {
            case "prefix" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1:
                return new FileNameGroupKey(spec, name => name.Length <= n ? Path.GetFileNameWithoutExtension(name) : name[..n]);
            case "before" when value.Length == 1:
                var separator = value[0];
                return new FileNameGroupKey(spec, name => name.IndexOf(separator) is var at and > 0
                    ? name[..at]
                    : Path.GetFileNameWithoutExtension(name));
            default:
                throw new PipelineException(
                    $"A group key is 'prefix:N' (the first N characters of the file name, N >= 1) or 'before:C' (the file name " +
                    $"up to the first character C), for example 'before:-'; got '{spec}'.");
        }
    }
}
