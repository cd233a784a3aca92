using System.Globalization;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// A line chart drawn into pixels (for <c>curves.png</c>): axes with round ticks and labels in the
/// 5×7 pixel font, a title, a legend, and each series as a 2-pixel line with a dot at every point.
/// </summary>
public static class CurvePlot
{
    private const int Left = 56, Right = 16, Top = 26, Bottom = 34;

    /// <summary>The chart, Shape [3, height, width].</summary>
    public static Tensor Draw(string title, string xLabel, IReadOnlyList<CurveSeries> series, int width = 480, int height = 320)
    {
        ArgumentNullException.ThrowIfNull(series);
        var points = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.Second)).ToList();
        if (points.Count == 0)
        {
            throw new ArgumentException("a chart needs at least one finite point", nameof(series));
        }
        var xTicks = AxisTicks.Nice(points.Min(p => p.First), points.Max(p => p.First), integers: true);
        var yTicks = AxisTicks.Nice(points.Min(p => p.Second), points.Max(p => p.Second));
        var canvas = new Canvas(width, height, Rgb.White);
        int plotWidth = width - Left - Right, plotHeight = height - Top - Bottom;
        double X(double x) => Left + (x - xTicks[0]) / (xTicks[^1] - xTicks[0]) * plotWidth;
        double Y(double y) => Top + plotHeight - (y - yTicks[0]) / (yTicks[^1] - yTicks[0]) * plotHeight;
        canvas.DrawText(title, Left, 8, Rgb.Black);
        DrawAxes(canvas, xTicks, yTicks, X, Y, xLabel);
        foreach (CurveSeries s in series)
        {
            var finite = s.X.Zip(s.Y).Where(p => double.IsFinite(p.Second)).ToList();
            for (int i = 1; i < finite.Count; i++)
            {
                canvas.DrawLine(X(finite[i - 1].First), Y(finite[i - 1].Second), X(finite[i].First), Y(finite[i].Second), s.Colour, 2);
            }
            foreach (var (x, y) in finite)
            {
                canvas.FillRectangle((int)Math.Round(X(x)) - 2, (int)Math.Round(Y(y)) - 2, 5, 5, s.Colour);
            }
        }
        DrawLegend(canvas, series, width - Right - 4);
        return canvas.Image;
    }

    private static void DrawAxes(Canvas canvas, IReadOnlyList<double> xTicks, IReadOnlyList<double> yTicks, Func<double, double> x, Func<double, double> y, string xLabel)
    {
        Rgb grid = Rgb.Gray(0.88f), axis = Rgb.Gray(0.3f);
        foreach (double t in yTicks)
        {
            int row = (int)Math.Round(y(t));
            canvas.DrawLine(Left, row, x(xTicks[^1]), row, grid);
            string label = t.ToString("G4", CultureInfo.InvariantCulture);
            canvas.DrawText(label, Left - 6 - Canvas.TextWidth(label), row - 3, axis);
        }
        foreach (double t in xTicks)
        {
            int column = (int)Math.Round(x(t));
            canvas.DrawLine(column, y(yTicks[0]), column, y(yTicks[0]) + 4, axis);
            string label = t.ToString("G4", CultureInfo.InvariantCulture);
            canvas.DrawText(label, column - Canvas.TextWidth(label) / 2, (int)y(yTicks[0]) + 8, axis);
        }
        canvas.DrawLine(Left, y(yTicks[0]), x(xTicks[^1]), y(yTicks[0]), axis);
        canvas.DrawLine(Left, y(yTicks[0]), Left, y(yTicks[^1]), axis);
        canvas.DrawText(xLabel, Left + (int)(x(xTicks[^1]) - Left - Canvas.TextWidth(xLabel)) / 2, (int)y(yTicks[0]) + 20, axis);
    }

    private static void DrawLegend(Canvas canvas, IReadOnlyList<CurveSeries> series, int right)
    {
        int y = 8;
        foreach (CurveSeries s in series)
        {
            int x = right - Canvas.TextWidth(s.Name);
            canvas.DrawText(s.Name, x, y, Rgb.Black);
            canvas.FillRectangle(x - 16, y + 2, 12, 3, s.Colour);
            y += 11;
        }
    }
}
