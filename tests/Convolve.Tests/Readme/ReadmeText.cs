namespace Convolve.Tests.Readme;

/// <summary>Cuts code out of a test source file and out of the README, to compare the two.</summary>
internal static class ReadmeText
{
    /// <summary>The text between the first <paramref name="start"/> and the next <paramref name="end"/>.</summary>
    public static string Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start.Trim()}' not found");
        from += start.Length;
        int to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to >= 0, $"'{end.Trim()}' not found");
        return text[from..to];
    }

    /// <summary>Removes <paramref name="spaces"/> spaces of indentation from every line.</summary>
    public static string Dedent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(line => line.Length >= spaces ? line[spaces..] : line.TrimStart(' ')));
}
