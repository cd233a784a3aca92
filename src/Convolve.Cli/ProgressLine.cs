using System.Globalization;
using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// The live progress line of a training step, laid out for a terminal of a given width: the epoch,
/// a bar and the percentage always; then, as the width allows, in this order of importance, the
/// running loss, the accuracy, the epoch's time left, the images per second and the step. The bar
/// takes what the chosen fields leave (at least <see cref="MinBar"/> cells, at most <see cref="MaxBar"/>),
/// and the line never reaches the last column, so the terminal never wraps it.
/// </summary>
internal static class ProgressLine
{
    /// <summary>The narrowest terminal the layout is made for; a narrower one gets the line cut to fit.</summary>
    public const int MinWidth = 40;

    /// <summary>The bar's narrowest and widest extent, in cells.</summary>
    public const int MinBar = 10, MaxBar = 40;

    /// <summary>The line for <paramref name="width"/> columns; at most <c>width − 1</c> characters, each one cell wide.</summary>
    public static string Format(TrainingProgress progress, int width)
    {
        ArgumentNullException.ThrowIfNull(progress);
        int room = Math.Max(width, 2) - 1;
        string epoch = Invariant($"epoch {progress.Epoch + 1}/{progress.Epochs}");
        double done = progress.StepsPerEpoch == 0 ? 1 : Math.Clamp((double)progress.StepInEpoch / progress.StepsPerEpoch, 0, 1);
        string percent = Invariant($"{done * 100,3:F0}%");
        // The optional fields in order of importance, each with its place on the line (0 before the bar),
        // padded to a width that does not change from step to step, so the bar keeps its length.
        string steps = Invariant($"{progress.StepsPerEpoch}");
        (string Text, int Place)[] optional =
        [
            (Invariant($"loss {progress.MeanLoss,7:F4}"), 1),
            (Invariant($"acc {progress.Accuracy * 100,6:F2} %"), 2),
            (Invariant($"ETA {progress.EpochRemaining:mm\\:ss}"), 4),
            (Invariant($"{progress.ImagesPerSecond,7:N0} img/s"), 3),
            (Invariant($"step {progress.StepInEpoch.ToString(CultureInfo.InvariantCulture).PadLeft(steps.Length)}/{steps}"), 0),
        ];
        int used = epoch.Length + 1 + MinBar + 1 + percent.Length;
        var shown = new List<(string Text, int Place)>();
        foreach (var field in optional)
        {
            if (used + 2 + field.Text.Length <= room)
            {
                used += 2 + field.Text.Length;
                shown.Add(field);
            }
        }
        int bar = Math.Min(MaxBar, MinBar + room - used);
        string before = string.Concat(shown.Where(f => f.Place == 0).Select(f => " " + f.Text));
        string after = string.Concat(shown.Where(f => f.Place > 0).OrderBy(f => f.Place).Select(f => "  " + f.Text));
        string line = $"{epoch}{before} {Bar(done, Math.Max(bar, 1))} {percent}{after}";
        return line.Length <= room ? line : line[..room];
    }

    private static string Bar(double done, int cells)
    {
        int full = (int)Math.Floor(done * cells);
        return new string('#', full) + new string('-', cells - full);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
