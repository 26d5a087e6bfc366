using System.ComponentModel;
using System.Globalization;

namespace Pipeline.Backbones;

/// <summary>
/// Reads a <see cref="MarginTrimming"/> from configuration or the command line. The setting was a boolean before the
/// white-only rule got a name, so <c>true</c> and <c>false</c> still read, as the default and as <c>Off</c>.
/// </summary>
public sealed class MarginTrimmingConverter() : EnumConverter(typeof(MarginTrimming))
{
    /// <exception cref="FormatException">Not one of the names, nor true or false.</exception>
    public static MarginTrimming Parse(string text) =>
        text.Trim() switch
        {
            var t when t.Equals("true", StringComparison.OrdinalIgnoreCase) => MarginTrimming.Paper,
            var t when t.Equals("false", StringComparison.OrdinalIgnoreCase) => MarginTrimming.Off,
            var t when Enum.TryParse<MarginTrimming>(t, ignoreCase: true, out var named) && Enum.IsDefined(named)
                && !char.IsAsciiDigit(t[0]) => named,
            _ => throw new FormatException(
                $"'{text}' is not a margin trimming: Paper, Border, White or Off (true and false mean Paper and Off)."),
        };

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? Parse(text) : base.ConvertFrom(context, culture, value);
}
