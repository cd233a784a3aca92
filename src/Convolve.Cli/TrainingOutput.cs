using System.Globalization;
using Convolve.Training;
using Spectre.Console;

namespace Convolve.Cli;

/// <summary>
/// Shows a run's progress: a live bar (loss, accuracy, images/s, ETA) on a terminal, or a plain
/// line at every tenth of an epoch when output is redirected; and one line per finished epoch.
/// </summary>
internal sealed class TrainingOutput(CliContext context) : IProgress<TrainingProgress>, ITrainingCallback
{
    private ProgressTask? bar;
    private int lastTenth = -1;

    /// <summary>Runs <paramref name="train"/> under a live progress display when the terminal allows it.</summary>
    public T Run<T>(Func<T> train)
    {
        if (!context.IsInteractive)
        {
            return train();
        }
        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(live =>
            {
                bar = live.AddTask("starting", autoStart: true, maxValue: 1);
                return train();
            });
    }

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text = string.Create(CultureInfo.InvariantCulture,
            $"epoch {value.Epoch + 1}/{value.Epochs} step {value.StepInEpoch}/{value.StepsPerEpoch}  loss {value.MeanLoss:F4}  acc {value.Accuracy:P2}  {value.ImagesPerSecond:N0} img/s  ETA {value.EpochRemaining:mm\\:ss}");
        if (bar is not null)
        {
            bar.Description = Markup.Escape(text);
            bar.MaxValue = value.StepsPerEpoch;
            bar.Value = value.StepInEpoch;
            return;
        }
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
        if (bar is not null)
        {
            AnsiConsole.MarkupLine(Markup.Escape(line));
        }
        else
        {
            context.Output.WriteLine(line);
        }
    }
}
