using System.Globalization;
using System.Text;

namespace Convolve.Diagnostics;

/// <summary>Lays out a <see cref="ModelSummary"/> as a text table with aligned columns and a totals block.</summary>
internal static class ModelSummaryTable
{
    private static readonly string[] Headers = ["Layer", "Type", "Output shape", "Params", "FLOPs", "Workspace", "Algorithm"];

    /// <summary>The table: one line per row, then input/output shapes and the totals.</summary>
    public static string Format(ModelSummary summary)
    {
        var cells = new List<string[]> { Headers };
        foreach (ModelSummaryRow row in summary.Rows)
        {
            cells.Add([
                row.Name.Length == 0 ? "(model)" : row.Name, row.Type, row.OutputShape.ToString(),
                Count(row.Parameters + row.Buffers), Count(row.Flops), row.WorkspaceBytes == 0 ? "-" : Bytes(row.WorkspaceBytes),
                row.Algorithm.Length == 0 ? "" : row.Algorithm]);
        }
        int[] widths = Enumerable.Range(0, Headers.Length).Select(c => cells.Max(line => line[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (string[] line in cells)
        {
            // Names, shapes and the algorithm read left to right; numbers align on their last digit.
            text.AppendLine(string.Join("  ", line.Select((cell, c) => c < 3 || c == 6 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Input {summary.InputShape} -> output {summary.OutputShape}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Parameters: {Count(summary.Parameters)} ({Count(summary.TrainableParameters)} trainable), {Bytes(summary.ParameterBytes)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Forward FLOPs: {Count(summary.Flops)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Activations: {Bytes(summary.ActivationBytes)}; workspace: {Bytes(summary.WorkspaceBytes)}");
        return text.ToString();
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
