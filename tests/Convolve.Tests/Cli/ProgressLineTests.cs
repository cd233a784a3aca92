using System.Diagnostics;
using System.Text.RegularExpressions;
using Convolve.Cli;
using Convolve.Data;
using Convolve.Training;

namespace Convolve.Tests.Cli;

/// <summary>
/// The live progress line fits every terminal width from 40 columns up (it once put the bar, the
/// percentage and the time in columns Spectre.Console shrank and wrapped on 80 columns), laid out
/// by <see cref="ProgressLine"/> and drawn under a real pseudo-terminal.
/// </summary>
public sealed partial class ProgressLineTests
{
    private static readonly TrainingProgress[] Cases =
    [
        Progress(0, 2, 1, 79, 2.3026, 0.1, 5.0, TimeSpan.FromSeconds(90)),
        Progress(1, 2, 40, 79, 0.4748, 0.8224, 2712.4, TimeSpan.FromSeconds(2)),
        Progress(9, 10, 938, 938, 0.2, 0.95, 4512.0, TimeSpan.Zero),
        Progress(999, 1000, 99_999, 100_000, 123456.789, 1.0, 12_345_678.0, TimeSpan.FromMinutes(59)),
    ];

    [Fact]
    public void The_line_fits_every_width_from_40_to_200_and_keeps_epoch_bar_and_percent()
    {
        foreach (TrainingProgress progress in Cases)
        {
            int previousLength = 0;
            for (int width = ProgressLine.MinWidth; width <= 200; width++)
            {
                string line = ProgressLine.Format(progress, width);
                Assert.True(line.Length < width, $"width {width}: {line.Length} characters: '{line}'");
                Assert.True(line.Length >= previousLength, $"width {width}: the line got shorter than at {width - 1}");
                previousLength = line.Length;
                Match parts = Layout().Match(line);
                Assert.True(parts.Success, $"width {width}: '{line}'");
                Assert.Equal($"epoch {progress.Epoch + 1}/{progress.Epochs}", parts.Groups["epoch"].Value);
                int cells = parts.Groups["bar"].Value.Length;
                Assert.InRange(cells, ProgressLine.MinBar, ProgressLine.MaxBar);
                double done = (double)progress.StepInEpoch / progress.StepsPerEpoch;
                Assert.Equal((int)Math.Floor(done * cells), parts.Groups["bar"].Value.Count(c => c == '#'));
                Assert.Equal((int)Math.Round(done * 100, MidpointRounding.AwayFromZero), int.Parse(parts.Groups["percent"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void The_bar_keeps_its_length_from_step_to_step_of_an_epoch()
    {
        for (int width = ProgressLine.MinWidth; width <= 200; width += 7)
        {
            int[] bars = [.. Enumerable.Range(1, 79).Select(step => Layout().Match(ProgressLine.Format(
                Progress(0, 2, step, 79, 2.3 / step, step / 100.0, step * 37.0, TimeSpan.FromSeconds(79 - step)), width)).Groups["bar"].Value.Length)];
            Assert.True(bars.Distinct().Count() == 1, $"width {width}: bar lengths {string.Join(", ", bars.Distinct())}");
        }
    }

    [Fact]
    public void Fields_appear_by_importance_as_the_terminal_widens()
    {
        TrainingProgress progress = Cases[1];
        string narrow = ProgressLine.Format(progress, 40), wide = ProgressLine.Format(progress, 200);
        Assert.StartsWith("epoch 2/2 #####-----  51%", narrow, StringComparison.Ordinal);
        Assert.Contains("loss  0.4748", narrow, StringComparison.Ordinal);
        Assert.DoesNotContain("img/s", narrow, StringComparison.Ordinal);
        foreach (string field in (string[])["step 40/79", "loss  0.4748", "acc  82.24 %", "  2,712 img/s", "ETA 00:02"])
        {
            Assert.Contains(field, wide, StringComparison.Ordinal);
        }
        Assert.Equal(ProgressLine.MaxBar, Layout().Match(wide).Groups["bar"].Value.Length);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(40)]
    public void Under_a_pseudo_terminal_every_frame_fits_the_width(int columns)
    {
        if (!File.Exists("/usr/bin/script") || OperatingSystem.IsWindows())
        {
            return; // util-linux's script(1) gives the run a terminal; Debian has it in every install
        }
        string run = Directory.CreateTempSubdirectory("convolve-pty-").FullName;
        try
        {
            string cli = Path.Combine(AppContext.BaseDirectory, "Convolve.Cli.dll");
            string command = $"stty cols {columns} rows 24; exec dotnet '{cli}' train --model lenet5 --data '{DatasetLocator.SampleDirectory}' "
                + $"--epochs 1 --limit 1280 --batch-size 16 --threads 1 -o '{Path.Combine(run, "out")}'";
            var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in (string[])["-qec", command, "/dev/null"])
            {
                start.ArgumentList.Add(arg);
            }
            using Process process = Process.Start(start)!;
            string screen = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the run did not end");
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {screen}");
            string[] frames = [.. Escape().Replace(screen, "").Split('\r', '\n').Where(frame => frame.Length > 0)];
            string[] live = [.. frames.Where(frame => Layout().IsMatch(frame))];
            Assert.True(live.Length > 0, $"no live progress line was drawn: {screen}");
            Assert.All(live, frame => Assert.True(frame.Length < columns, $"{frame.Length} characters on {columns} columns: '{frame}'"));
            Assert.Contains(frames, frame => frame.StartsWith("epoch 1: train loss", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }

    private static TrainingProgress Progress(int epoch, int epochs, int step, int steps, double loss, double accuracy, double rate, TimeSpan remaining) =>
        new(epoch, epochs, step, steps, step, loss, loss, accuracy, rate, remaining, 0.05, 1.0);

    [GeneratedRegex(@"^(?<epoch>epoch \d+/\d+)( step +\d+/\d+)? (?<bar>[#-]+) +(?<percent>\d+)%")]
    private static partial Regex Layout();

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex Escape();
}
