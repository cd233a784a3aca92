using Convolve.Cli;
using Convolve.Cli.Report;
using Convolve.Data;
using Convolve.Imaging;
using Convolve.Losses;
using Convolve.Tensors;
using Convolve.Tests.Cli;
using Convolve.Training;
using Convolve.Visualization;

namespace Convolve.Tests.Report;

/// <summary>convolve train's report.html, curves.png and history.json, convolve report, and the scores behind them.</summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class TrainingReportTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Sample => DatasetLocator.SampleDirectory;

    private static CliRunner.Result Train(string output, int epochs, params string[] more) => CliRunner.Run(
        ["train", "--model", "lenet5", "--data", Sample, "--limit", "256", "--batch-size", "32", "--threads", "1", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", output, .. more]);

    [Fact]
    public void Train_writes_the_report_curves_and_history_and_report_rebuilds_the_same_page()
    {
        string run = Path.Combine(folder, "run");
        var trained = Train(run, 2);
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains($"wrote {Path.Combine(run, "report.html")}", trained.Output, StringComparison.Ordinal);
        RunHistory history = RunHistory.Load(run);
        Assert.Equal([1, 2], history.Epochs.Select(e => e.Epoch));
        Assert.Equal("lenet5", history.Model);
        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        foreach (string id in (string[])["loss-curve", "accuracy-curve", "per-class", "confusion", "misclassified", "filters", "recipe", "timing"])
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // Two 480×320 charts side by side.
        Assert.Equal(new Shape(3, 320, 960), ImageFile.ReadRgb(Path.Combine(run, "curves.png")).Shape);

        string again = Path.Combine(folder, "again");
        var rebuilt = CliRunner.Run("report", run, "-o", again);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Error);
        Assert.Equal(html, File.ReadAllText(Path.Combine(again, "report.html")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "curves.png")), File.ReadAllBytes(Path.Combine(again, "curves.png")));

        // The run folder holds train's report: rebuilding it there needs --overwrite, and a refusal writes nothing.
        File.WriteAllText(Path.Combine(run, "report.html"), "kept");
        string refused = CliRunner.UserError(CliRunner.Run("report", run));
        Assert.Equal($"convolve: the run folder {run} already holds report.html and curves.png; pass --overwrite to replace them, or choose another --output", refused);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(run, "report.html")));
        Assert.StartsWith($"convolve: --output {again} already holds", CliRunner.UserError(CliRunner.Run("report", run, "-o", again)), StringComparison.Ordinal);
        var replaced = CliRunner.Run("report", run, "--overwrite");
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.Equal(html, File.ReadAllText(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void A_resumed_run_keeps_the_epochs_before_it_in_its_history()
    {
        string run = Path.Combine(folder, "resumed");
        Assert.Equal(0, Train(run, 1).ExitCode);
        var resumed = CliRunner.Run("train", "--resume", run, "--epochs", "2", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        RunHistory history = RunHistory.Load(run);
        Assert.Equal([1, 2], history.Epochs.Select(e => e.Epoch));
        Assert.Equal(history.Epochs[0].GlobalStep * 2, history.Epochs[1].GlobalStep);
    }

    [Fact]
    public void Scores_agree_with_the_evaluator_the_predictor_and_per_sample_cross_entropy()
    {
        var model = Convolve.Models.ModelZoo.Create("lenet5", random: new RandomSource(8));
        Dataset test = DatasetLocator.Locate(Sample).LoadTest();
        test.Normalize(0.286, 0.353);
        ReportScores scores = ReportScores.Compute(model, test, batchSize: 100);
        EvaluationResult evaluation = Evaluator.Evaluate(model, test, 64);
        Assert.Equal(evaluation.ConfusionMatrix, scores.Confusion);
        Assert.Equal(evaluation.Accuracy, scores.Accuracy, 12);
        Assert.Equal(evaluation.Loss, scores.MeanLoss, 5);
        Prediction[] predictions = Predictor.Predict(model, test.Images, topK: 3);
        for (int i = 0; i < test.Count; i += 97)
        {
            Assert.Equal(predictions[i].Top.Select(p => p.ClassIndex), scores.Samples[i].Top.Select(t => t.Class));
            Assert.Equal(predictions[i].Top[0].Probability, scores.Samples[i].Top[0].Probability, 5);
        }
        var wrong = scores.MostConfidentlyWrong(5);
        Assert.All(wrong, w => Assert.NotEqual(w.Label, w.Top[0].Class));
        Assert.True(wrong.Zip(wrong.Skip(1)).All(pair => pair.First.Loss >= pair.Second.Loss));
        Assert.True(scores.Samples.Where(s => !s.Correct).All(s => s.Loss <= wrong[0].Loss));
    }

    [Fact]
    public void Report_of_a_folder_without_a_run_is_one_line_exit_2_and_writes_nothing()
    {
        var missing = CliRunner.Run("report", Path.Combine(folder, "nope"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("run folder not found", missing.Error, StringComparison.Ordinal);
        var empty = CliRunner.Run("report", folder);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("history.json not found: the folder holds no run recorded by convolve train", empty.Error, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, RunHistory.FileName), "{ not json");
        var broken = CliRunner.Run("report", folder);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("not a run history", broken.Error, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Theory]
    [InlineData(0.42, 1.02, false, new[] { 0.4, 0.6, 0.8, 1.0, 1.2 })]
    [InlineData(63.8, 84.8, false, new[] { 60.0, 70.0, 80.0, 90.0 })]
    [InlineData(1, 3, true, new[] { 1.0, 2.0, 3.0 })]
    [InlineData(1, 1, true, new[] { 0.0, 1.0, 2.0 })]
    public void Axis_ticks_are_round_and_enclose_the_range(double min, double max, bool integers, double[] expected)
    {
        // 0.42..1.02 over 4 steps is 0.15, rounded up to 0.2; 63.8..84.8 is 5.25, rounded up to 10 (the first of 1, 2, 5, 10
        // not below it); epochs 1..3 would take 0.5 but whole steps are asked for; a single epoch is widened by 10 % first.
        Assert.Equal(expected, AxisTicks.Nice(min, max, integers: integers).Select(t => Math.Round(t, 9)));
    }

    [Fact]
    public void The_svg_chart_has_one_point_per_epoch_per_series()
    {
        var series = new CurveSeries("train", Rgb.Black, [1.0, 2.0, 3.0], [0.9, 0.5, 0.4]);
        string svg = SvgChart.Line("x", "t", "epoch", [series, series with { Name = "test", Y = [0.8, double.NaN, 0.5] }]);
        Assert.Equal(5, svg.Split("<circle").Length - 1);
        Assert.Equal(2, svg.Split("<polyline").Length - 1);
    }
}
