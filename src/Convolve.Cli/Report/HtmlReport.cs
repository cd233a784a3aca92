using System.Globalization;
using System.Net;
using System.Text;
using Convolve.Visualization;

namespace Convolve.Cli.Report;

/// <summary>
/// The training report as one self-contained HTML page: inline CSS, the curves as inline SVG, the
/// pictures as data: URIs, no script and no external resource, so it opens anywhere, offline.
/// </summary>
internal static class HtmlReport
{
    public static readonly Rgb Train = Rgb.FromHex(0x1F77B4), Test = Rgb.FromHex(0xD62728);

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1180px; color: #222; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; font-size: 0.9em; } td, th { padding: 3px 8px; text-align: right; }
        th { background: #f3f3f3; } td.name, th.name { text-align: left; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        svg.chart { border: 1px solid #ddd; background: #fff; } svg .title { font-size: 15px; font-weight: 600; }
        svg .tick { font-size: 12px; fill: #444; } svg .grid { stroke: #e6e6e6; } svg .axis { stroke: #555; }
        .bar { display: inline-block; height: 10px; background: #1F77B4; vertical-align: middle; }
        #confusion td { min-width: 2.6em; } .wrong { display: flex; flex-wrap: wrap; gap: 14px; }
        figure { margin: 0; width: 150px; font-size: 0.8em; } figure img { image-rendering: pixelated; width: 84px; height: 84px; }
        img.filters { image-rendering: pixelated; } .note { color: #666; font-size: 0.9em; }
        """;

    public static string Render(ReportContent c)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Convolve report: {E(c.ModelName)}</title><style>{Style}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Training report: {E(c.ModelName)}</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"summary\">{E(Summary(c))}</p>\n");
        AppendCurves(html, c.History);
        AppendPerClass(html, c);
        AppendConfusion(html, c);
        AppendWrong(html, c);
        if (c.Filters is not null)
        {
            html.Append("<h2>First-layer filters</h2>\n<p class=\"note\">Every kernel of the first convolution on one scale: zero is mid-gray.</p>\n");
            html.Append(CultureInfo.InvariantCulture, $"<img id=\"filters\" class=\"filters\" alt=\"first-layer filters\" src=\"{DataUri(c.Filters)}\">\n");
        }
        AppendRecipe(html, c);
        AppendTiming(html, c.History);
        return html.Append("</body></html>\n").ToString();
    }

    private static string Summary(ReportContent c)
    {
        double seconds = c.History.Epochs.Sum(e => e.Seconds);
        return string.Create(CultureInfo.InvariantCulture,
            $"{c.ModelPath}: test accuracy {c.Scores.Accuracy:P2}, mean loss {c.Scores.MeanLoss:F4} on {c.Scores.Samples.Count:N0} images ({c.DataDescription}); {c.History.Epochs.Count} epoch(s) in {seconds:F0} s.");
    }

    private static void AppendCurves(StringBuilder html, RunHistory history)
    {
        var x = history.Epochs.Select(e => (double)e.Epoch).ToList();
        html.Append("<h2>Loss and accuracy</h2>\n<div class=\"charts\">\n");
        html.Append(SvgChart.Line("loss-curve", "Loss (cross-entropy per image)", "epoch", [
            new CurveSeries("train", Train, x, history.Epochs.Select(e => e.TrainLoss).ToList()),
            new CurveSeries("test", Test, x, history.Epochs.Select(e => e.TestLoss ?? double.NaN).ToList())]));
        html.Append('\n');
        html.Append(SvgChart.Line("accuracy-curve", "Accuracy (%)", "epoch", [
            new CurveSeries("train", Train, x, history.Epochs.Select(e => 100 * e.TrainAccuracy).ToList()),
            new CurveSeries("test", Test, x, history.Epochs.Select(e => 100 * (e.TestAccuracy ?? double.NaN)).ToList())]));
        html.Append("\n</div>\n<p class=\"note\">Training loss and accuracy are averaged over each epoch while the weights change; test values are measured after it. The same curves are in curves.png.</p>\n");
    }

    private static void AppendPerClass(StringBuilder html, ReportContent c)
    {
        html.Append("<h2>Per-class accuracy</h2>\n<table id=\"per-class\"><tr><th>class</th><th class=\"name\">name</th><th>accuracy</th><th class=\"name\"></th></tr>\n");
        for (int k = 0; k < c.Scores.PerClassAccuracy.Count; k++)
        {
            double accuracy = c.Scores.PerClassAccuracy[k];
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{k}</td><td class=\"name\">{E(c.ClassNames[k])}</td><td>{accuracy:P2}</td><td class=\"name\"><span class=\"bar\" style=\"width:{(double.IsNaN(accuracy) ? 0 : 200 * accuracy):F0}px\"></span></td></tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void AppendConfusion(StringBuilder html, ReportContent c)
    {
        long[,] m = c.Scores.Confusion;
        int classes = m.GetLength(0);
        html.Append("<h2>Confusion matrix</h2>\n<p class=\"note\">Rows: true class; columns: predicted class. Shading grows with the share of the row.</p>\n<table id=\"confusion\"><tr><th class=\"name\">true \\ predicted</th>");
        html.AppendJoin("", Enumerable.Range(0, classes).Select(k => $"<th title=\"{E(c.ClassNames[k])}\">{k}</th>"));
        html.Append("</tr>\n");
        for (int t = 0; t < classes; t++)
        {
            long row = Enumerable.Range(0, classes).Sum(p => m[t, p]);
            html.Append(CultureInfo.InvariantCulture, $"<tr><th class=\"name\">{t} {E(c.ClassNames[t])}</th>");
            for (int p = 0; p < classes; p++)
            {
                double share = row == 0 ? 0 : (double)m[t, p] / row;
                string colour = t == p ? "31,119,180" : "214,39,40";
                html.Append(CultureInfo.InvariantCulture, $"<td style=\"background:rgba({colour},{share:F3})\">{m[t, p]}</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void AppendWrong(StringBuilder html, ReportContent c)
    {
        html.Append("<h2>Most confidently wrong</h2>\n<p class=\"note\">The misclassified test images with the largest loss, with the model's three best guesses.</p>\n<div id=\"misclassified\" class=\"wrong\">\n");
        foreach (var (sample, png) in c.Wrong)
        {
            string guesses = string.Join("<br>", sample.Top.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Probability:P1} {E(c.ClassNames[g.Class])}")));
            html.Append(CultureInfo.InvariantCulture,
                $"<figure><img alt=\"test image {sample.Index}\" src=\"{DataUri(png)}\"><figcaption>#{sample.Index}, true <b>{E(c.ClassNames[sample.Label])}</b>, loss {sample.Loss:F2}<br>{guesses}</figcaption></figure>\n");
        }
        html.Append("</div>\n");
    }

    private static void AppendRecipe(StringBuilder html, ReportContent c)
    {
        html.Append("<h2>Recipe</h2>\n<table id=\"recipe\">\n");
        foreach (var (key, value) in c.Recipe)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th class=\"name\">{E(key)}</th><td class=\"name\">{E(value)}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void AppendTiming(StringBuilder html, RunHistory history)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Timing</h2>\n<p class=\"note\">{history.Threads} thread(s), SIMD {E(history.Simd)}; epoch time includes the test evaluation.</p>\n");
        html.Append("<table id=\"timing\"><tr><th>epoch</th><th>seconds</th><th>images/s</th><th>learning rate</th><th>train loss</th><th>test accuracy</th></tr>\n");
        foreach (EpochRecord e in history.Epochs)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{e.Epoch}{(e.Best ? " ★" : "")}</td><td>{e.Seconds:F1}</td><td>{e.ImagesPerSecond:N0}</td><td>{e.LearningRate:G4}</td><td>{e.TrainLoss:F4}</td><td>{(e.TestAccuracy is double a ? a.ToString("P2", CultureInfo.InvariantCulture) : "–")}</td></tr>\n");
        }
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>total</th><th>{history.Epochs.Sum(e => e.Seconds):F1}</th><td></td><td></td><td></td><td></td></tr>\n</table>\n");
    }

    private static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
