namespace Convolve.Cli;

/// <summary>
/// The nearest valid spelling of a mistyped command, option or value, for the one-line error
/// that refuses it (<c>did you mean eval?</c>): the candidate at the smallest edit distance
/// (Levenshtein: insertions, deletions, substitutions), if it is close enough to be a typo.
/// </summary>
internal static class Spelling
{
    /// <summary>
    /// The candidate nearest to <paramref name="given"/> (case-insensitive, leading dashes ignored),
    /// or null when none is within half the length of <paramref name="given"/> (at least 2 edits):
    /// <c>evall</c> → <c>eval</c>, <c>--epoch</c> → <c>--epochs</c>, <c>resnet-huge</c> → <c>resnet-small</c>.
    /// Ties go to the earlier candidate.
    /// </summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(candidates);
        string word = Bare(given);
        int limit = Math.Max(2, word.Length / 2);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(word, Bare(candidate));
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>"; did you mean X?" for the nearest candidate, or nothing.</summary>
    public static string Suggestion(string given, IEnumerable<string> candidates) =>
        Closest(given, candidates) is string near ? $"; did you mean {near}?" : "";

    /// <summary>The edit distance between two strings (two rows of the dynamic programme).</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string Bare(string text) => text.TrimStart('-', '/').ToLowerInvariant();
}
