using System.Globalization;
using System.Net;
using System.Text;
using Convolve.Visualization;

namespace Convolve.Cli.Report;

/// <summary>A line chart as inline SVG: round ticks, grid lines, a legend, each series a polyline with a dot per point.</summary>
internal static class SvgChart
{
    private const int Width = 560, Height = 320, Left = 60, Right = 20, Top = 36, Bottom = 44;

    public static string Line(string id, string title, string xLabel, IReadOnlyList<CurveSeries> series)
    {
        var points = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.Second)).ToList();
        var xTicks = AxisTicks.Nice(points.Min(p => p.First), points.Max(p => p.First), integers: true);
        var yTicks = AxisTicks.Nice(points.Min(p => p.Second), points.Max(p => p.Second));
        int plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double X(double x) => Left + (x - xTicks[0]) / (xTicks[^1] - xTicks[0]) * plotWidth;
        double Y(double y) => Top + plotHeight - (y - yTicks[0]) / (yTicks[^1] - yTicks[0]) * plotHeight;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(title)}\">"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"20\" class=\"title\">{Encode(title)}</text>"));
        foreach (double t in yTicks)
        {
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{Y(t):F1}\" y2=\"{Y(t):F1}\" class=\"grid\"/><text x=\"{Left - 8}\" y=\"{Y(t) + 4:F1}\" class=\"tick\" text-anchor=\"end\">{t:G4}</text>"));
        }
        foreach (double t in xTicks)
        {
            svg.Append(Invariant($"<text x=\"{X(t):F1}\" y=\"{Top + plotHeight + 18}\" class=\"tick\" text-anchor=\"middle\">{t:G4}</text>"));
        }
        svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\" class=\"axis\"/><line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + plotHeight}\" class=\"axis\"/>"));
        svg.Append(Invariant($"<text x=\"{Left + plotWidth / 2}\" y=\"{Height - 8}\" class=\"tick\" text-anchor=\"middle\">{Encode(xLabel)}</text>"));
        for (int i = 0; i < series.Count; i++)
        {
            AppendSeries(svg, series[i], X, Y, Left + plotWidth - 150, Top + 4 + 16 * i);
        }
        return svg.Append("</svg>").ToString();
    }

    private static void AppendSeries(StringBuilder svg, CurveSeries s, Func<double, double> x, Func<double, double> y, int legendX, int legendY)
    {
        string colour = Hex(s.Colour);
        var finite = s.X.Zip(s.Y).Where(p => double.IsFinite(p.Second)).ToList();
        string coordinates = string.Join(" ", finite.Select(p => Invariant($"{x(p.First):F1},{y(p.Second):F1}")));
        svg.Append(Invariant($"<polyline class=\"series\" data-name=\"{Encode(s.Name)}\" points=\"{coordinates}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>"));
        foreach (var (px, py) in finite)
        {
            svg.Append(Invariant($"<circle cx=\"{x(px):F1}\" cy=\"{y(py):F1}\" r=\"3\" fill=\"{colour}\"><title>{Encode(s.Name)}: {py:G5}</title></circle>"));
        }
        svg.Append(Invariant($"<line x1=\"{legendX}\" x2=\"{legendX + 18}\" y1=\"{legendY}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"3\"/><text x=\"{legendX + 24}\" y=\"{legendY + 4}\" class=\"tick\">{Encode(s.Name)}</text>"));
    }

    public static string Hex(Rgb c) => Invariant($"#{(int)Math.Round(c.R * 255):X2}{(int)Math.Round(c.G * 255):X2}{(int)Math.Round(c.B * 255):X2}");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
