using System.Diagnostics;
using System.Globalization;
using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// Shows a run's progress: a live line on a terminal (<see cref="ProgressLine"/>, laid out for the
/// terminal's width at every redraw, so it never wraps, and erased when the epoch ends), or a plain
/// line at every tenth of an epoch when output is redirected; and one line per finished epoch.
/// </summary>
internal sealed class TrainingOutput(CliContext context) : IProgress<TrainingProgress>, ITrainingCallback
{
    /// <summary>The live line is redrawn at most this often (and at each epoch's last step).</summary>
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch sinceRedraw = new();
    private bool live;
    private bool drawn;
    private int lastTenth = -1;

    /// <summary>Runs <paramref name="train"/> with a live progress line when the output is a terminal; the line is erased when it returns or fails.</summary>
    public T Run<T>(Func<T> train)
    {
        live = context.IsInteractive;
        try
        {
            return train();
        }
        finally
        {
            Erase();
            live = false;
        }
    }

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (live)
        {
            if (!drawn || sinceRedraw.Elapsed >= RedrawInterval || value.StepInEpoch == value.StepsPerEpoch)
            {
                // Carriage return, the line, erase to the end: one line rewritten in place.
                context.Output.Write($"\r{ProgressLine.Format(value, TerminalWidth())}\u001b[K");
                context.Output.Flush();
                drawn = true;
                sinceRedraw.Restart();
            }
            return;
        }
        string text = string.Create(CultureInfo.InvariantCulture,
            $"epoch {value.Epoch + 1}/{value.Epochs} step {value.StepInEpoch}/{value.StepsPerEpoch}  loss {value.MeanLoss:F4}  acc {value.Accuracy:P2}  {value.ImagesPerSecond:N0} img/s  ETA {value.EpochRemaining:mm\\:ss}");
        int tenth = value.StepInEpoch * 10 / value.StepsPerEpoch;
        if (tenth != lastTenth)
        {
            lastTenth = tenth;
            context.Output.WriteLine(text);
        }
    }

    public void OnEpochEnd(EpochReport report, TrainingContext trainingContext)
    {
        ArgumentNullException.ThrowIfNull(report);
        lastTenth = -1;
        string validation = report.ValidationAccuracy is double accuracy
            ? string.Create(CultureInfo.InvariantCulture, $"  test loss {report.ValidationLoss:F4} acc {accuracy:P2}")
            : "";
        string line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch + 1}: train loss {report.TrainLoss:F4} acc {report.TrainAccuracy:P2}{validation}  {report.ImagesPerSecond:N0} img/s  {report.WallSeconds:F1} s  lr {report.LearningRate:G4}{(report.IsBest ? "  [best]" : "")}");
        Erase();
        context.Output.WriteLine(line);
    }

    /// <summary>Erases the live line, if one is drawn, so that the next output starts at the left edge.</summary>
    private void Erase()
    {
        if (drawn)
        {
            context.Output.Write("\r\u001b[K");
            context.Output.Flush();
            drawn = false;
        }
    }

    /// <summary>The terminal's width now (it may have been resized), or 80 when it cannot be read.</summary>
    private static int TerminalWidth()
    {
        try
        {
            int width = Console.WindowWidth;
            return width > 0 ? width : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
