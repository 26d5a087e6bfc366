using System.Globalization;
using System.Text;

namespace Pipeline.Datasets;

/// <summary>
/// The one rule for what a label may be, wherever it comes from: the <c>label</c> field of an upload, a folder name in
/// a dropped folder or <c>.zip</c>, a training folder. A label is shown to people and compared by its characters, so
/// characters that are invisible or that change how the rest reads are refused rather than kept: control characters
/// (Cc: tab, new line, NUL), format characters (Cf: zero-width space, right-to-left override, bidi isolates), line and
/// paragraph separators, and U+FFFD, which stands where a name's bytes were not valid UTF-8.
/// </summary>
public static class LabelName
{
    /// <summary>Characters, after Unicode normalisation (NFC).</summary>
    public const int MaxLength = 100;

    /// <summary>A label is a folder name: Linux allows 255 bytes (not characters) per name.</summary>
    public const int MaxBytes = 255;

    /// <returns>Why <paramref name="label"/> cannot be a label (a sentence fragment), or null when it can.</returns>
    public static string? Problem(string label)
    {
        if (string.IsNullOrWhiteSpace(label)) return "is empty or only white space";
        if (label.Length > MaxLength) return $"is longer than {MaxLength} characters";
        int bytes = Encoding.UTF8.GetByteCount(label);
        if (bytes > MaxBytes) return $"is {bytes} bytes in UTF-8, above the {MaxBytes}-byte limit of a folder name";
        if (label.Contains('\uFFFD')) return "is not valid UTF-8 (U+FFFD stands where its bytes could not be read)";
        foreach (var rune in label.EnumerateRunes())
        {
            // A lone surrogate (not text in any encoding) comes out of the enumeration as U+FFFD.
            if (rune == Rune.ReplacementChar) return "is not valid Unicode text";
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
                return $"holds the invisible character U+{rune.Value:X4} ({category}); labels may not hold control or format characters";
        }

        if (char.IsWhiteSpace(label[0]) || char.IsWhiteSpace(label[^1])) return "starts or ends with white space";
        if (label.StartsWith('.')) return "starts with '.'";
        if (label.IndexOfAny(['/', '\\']) >= 0) return "holds '/' or '\\'";
        return null;
    }

    /// <summary>The label as it can be shown in a reason: invisible characters written as <c>\uXXXX</c>.</summary>
    public static string Printable(string label)
    {
        var text = new StringBuilder(label.Length);
        foreach (var rune in label.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
                text.Append($"\\u{rune.Value:X4}");
            else
                text.Append(rune.ToString());
        }

        return text.ToString();
    }
}
