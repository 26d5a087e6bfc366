using System.Globalization;
using System.Security.Cryptography;

namespace Pipeline.Datasets.Intake;

/// <summary>Drop identifiers: <c>yyyyMMdd-HHmmss-xxxxxx</c> (UTC time, six random hex digits), sortable by arrival.</summary>
public static class DropId
{
    public static string New(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>Whether <paramref name="id"/> has the shape of a drop id, so it is safe to use as a file name.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 22 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f' || c == '-') &&
        id[8] == '-' && id[15] == '-';
}
