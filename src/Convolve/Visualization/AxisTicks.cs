namespace Convolve.Visualization;

/// <summary>Round tick values for a chart axis (steps of 1, 2 or 5 times a power of ten), as plotting libraries choose them.</summary>
public static class AxisTicks
{
    private static readonly double[] Steps = [1.0, 2.0, 5.0, 10.0];

    /// <summary>About <paramref name="count"/> ticks spanning [min, max]; the first and last tick enclose the range; with <paramref name="integers"/> the step is at least 1 (epochs).</summary>
    public static IReadOnlyList<double> Nice(double min, double max, int count = 5, bool integers = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"axis range must be finite but got [{min}, {max}]", nameof(min));
        }
        if (max <= min)
        {
            double pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1;
            (min, max) = (min - pad, max + pad);
        }
        double raw = (max - min) / Math.Max(1, count - 1);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = Steps.Select(f => f * magnitude).First(s => s >= raw);
        step = integers ? Math.Max(1, step) : step;
        double first = Math.Floor(min / step) * step, last = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (double t = first; t <= last + step / 2; t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
        }
        return ticks;
    }
}
