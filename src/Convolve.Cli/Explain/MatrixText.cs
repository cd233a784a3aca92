namespace Convolve.Cli.Explain;

/// <summary>Matrices as aligned text: plain grids, and tables with a column header and row labels.</summary>
internal static class MatrixText
{
    /// <summary>Tables wider than this many columns are described, not printed.</summary>
    public const int MaxColumns = 40;

    /// <summary>A title line, then the rows of cells, right-aligned to one width, indented two spaces.</summary>
    public static void Grid(TextWriter output, string title, int rows, int columns, Func<int, int, string> cell)
    {
        output.WriteLine(title);
        int width = Width(rows, columns, cell, 0);
        for (int r = 0; r < rows; r++)
        {
            output.WriteLine("  " + string.Join(" ", Enumerable.Range(0, columns).Select(c => cell(r, c).PadLeft(width))));
        }
        output.WriteLine();
    }

    /// <summary>A title line, a header of column labels, then one labelled line per row.</summary>
    public static void Table(TextWriter output, string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, Func<int, int, string> cell)
    {
        output.WriteLine(title);
        if (columnLabels.Count > MaxColumns)
        {
            output.WriteLine($"  ({rowLabels.Count} rows × {columnLabels.Count} columns: too wide to print here, at most {MaxColumns} columns; choose a smaller --input)");
            output.WriteLine();
            return;
        }
        int width = Math.Max(Width(rowLabels.Count, columnLabels.Count, cell, 0), columnLabels.Max(l => l.Length));
        int labelWidth = rowLabels.Max(l => l.Length);
        output.WriteLine("  " + new string(' ', labelWidth) + "  " + string.Join(" ", columnLabels.Select(l => l.PadLeft(width))));
        for (int r = 0; r < rowLabels.Count; r++)
        {
            output.WriteLine("  " + rowLabels[r].PadRight(labelWidth) + "  " + string.Join(" ", Enumerable.Range(0, columnLabels.Count).Select(c => cell(r, c).PadLeft(width))));
        }
        output.WriteLine();
    }

    private static int Width(int rows, int columns, Func<int, int, string> cell, int minimum)
    {
        int width = minimum;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                width = Math.Max(width, cell(r, c).Length);
            }
        }
        return width;
    }
}
