namespace Pipeline.Backbones.Tfjs;

/// <summary>Finds the layer names closest to a misspelt one, so an error can say what was probably meant.</summary>
internal static class LayerNameSuggestions
{
    public static IReadOnlyList<string> Closest(string wanted, IEnumerable<string> available, int count = 5) =>
        available
            .Select(name => (Name: name, Distance: EditDistance(wanted.ToLowerInvariant(), name.ToLowerInvariant())))
            .OrderBy(candidate => candidate.Distance)
            .ThenBy(candidate => candidate.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(candidate => candidate.Name)
            .ToList();

    // Levenshtein distance with two rolling rows.
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
