using System.Globalization;

namespace Convolve.Tests.Explain;

/// <summary>Reads the numeric blocks that <c>convolve explain --values</c> prints back into arrays.</summary>
internal static class PrintedBlocks
{
    /// <summary>The numbers of the grid under the line starting with <paramref name="title"/>, row-major.</summary>
    public static float[] Grid(string output, string title) => Rows(output, title, skip: 0, labelled: false).SelectMany(r => r).ToArray();

    /// <summary>The numbers of the labelled table under <paramref name="title"/> (its header line skipped), as rows.</summary>
    public static float[][] Table(string output, string title) => Rows(output, title, skip: 1, labelled: true);

    private static float[][] Rows(string output, string title, int skip, bool labelled)
    {
        string[] lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int start = Array.FindIndex(lines, l => l.StartsWith(title, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no block titled '{title}' in:\n{output}");
        return lines.Skip(start + 1 + skip).TakeWhile(l => l.Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(labelled ? 1 : 0)
                .Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
    }
}
