using Convolve.Data;
using Convolve.Training;

namespace Convolve.Tests.Cli;

/// <summary>
/// The commands end to end, in-process, on the bundled Fashion-MNIST sample: train writes
/// checkpoints that eval, predict, summary and resume read; bad input is one line and exit code 2.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class CliCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-run-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Sample => DatasetLocator.SampleDirectory;

    private static CliRunner.Result Train(string output, int limit, int epochs, string schedule = "cosine") => CliRunner.Run(
        ["train", "--model", "lenet5", "--data", Sample, "--limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--batch-size", "32", "--threads", "1", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", output,
         "--schedule", schedule]);

    [Fact]
    public void Train_with_profile_prints_each_epochs_time_per_layer()
    {
        var trained = CliRunner.Run(
            ["train", "--model", "fashion-cnn", "--data", Sample, "--limit", "256", "--batch-size", "32", "--threads", "1", "--epochs", "2", "-o", folder, "--profile"]);
        Assert.True(trained.ExitCode == 0, trained.Error);
        string[] lines = trained.Output.Split('\n');
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            int header = Array.FindIndex(lines, line => line.StartsWith($"profile of epoch {epoch}: ", StringComparison.Ordinal));
            Assert.True(header > 0, trained.Output);
            Assert.Contains("over 8 steps", lines[header], StringComparison.Ordinal);
            // fashion-cnn's ten layers follow, each with forward and backward ms per step; the ReLU after a convolution is folded into it.
            string[] rows = lines[(header + 1)..(header + 11)];
            Assert.Matches(@"^  0 Conv2d +\d+\.\d\d +\d+\.\d\d +\d+ %", rows[0]);
            Assert.Matches(@"^  1 ReLU +0\.00 +0\.00 +0 %", rows[1]);
            Assert.Matches(@"^  9 Linear +\d+\.\d\d +\d+\.\d\d +\d+ %", rows[9]);
        }
        Assert.DoesNotContain("profile of epoch", Train(Path.Combine(folder, "plain"), 64, 1).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_then_eval_predict_and_summary_of_the_saved_model()
    {
        var trained = Train(folder, 512, 1);
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains("epoch 1: train loss", trained.Output, StringComparison.Ordinal);
        Assert.Contains("data from", trained.Output, StringComparison.Ordinal);
        string best = Path.Combine(folder, "best.safetensors");
        Assert.True(File.Exists(best) && File.Exists(Path.Combine(folder, "last.safetensors")));

        var eval = CliRunner.Run("eval", best, "--data", Sample);
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("1,000 test images: accuracy", eval.Output, StringComparison.Ordinal);
        Assert.Contains("Ankle boot", eval.Output, StringComparison.Ordinal);
        Assert.Contains("confusion matrix", eval.Output, StringComparison.Ordinal);

        var predict = CliRunner.Run("predict", best, "--index", "5", "--top", "3", "--data", Sample);
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Equal(3, predict.Output.Split('\n').Count(line => line.Contains(" %", StringComparison.Ordinal)));

        var summary = CliRunner.Run("summary", best);
        Assert.True(summary.ExitCode == 0, summary.Error);
        // (5·5·1·6 + 6) + (5·5·6·16 + 16) + (400·120 + 120) + (120·84 + 84) + (84·10 + 10) = 61,706
        Assert.Contains("Parameters: 61,706", summary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Extending_a_run_without_a_schedule_ends_where_an_uninterrupted_run_ends()
    {
        // A cosine schedule spans the run's epochs, so extending a run changes it from then on;
        // without a schedule, two epochs then one more are exactly three epochs.
        string straight = Path.Combine(folder, "straight");
        var full = Train(straight, 256, 2, "none");
        Assert.True(full.ExitCode == 0, full.Error);

        var first = Train(folder, 256, 1, "none");
        Assert.True(first.ExitCode == 0, first.Error);
        var resumed = CliRunner.Run("train", "--resume", folder, "--epochs", "2", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming after epoch 1", resumed.Output, StringComparison.Ordinal);

        var expected = TrainingCheckpoint.Load(Path.Combine(straight, "last.safetensors"));
        var actual = TrainingCheckpoint.Load(Path.Combine(folder, "last.safetensors"));
        Assert.Equal(1, actual.CompletedEpoch);
        TrainingSetupAccess.AssertIdentical(expected.Model, actual.Model);
    }

    [Theory]
    [InlineData("train", "--batch-size", "0")]
    [InlineData("train", "--model", "alexnet")]
    [InlineData("train", "--data", "/nonexistent/folder")]
    [InlineData("train", "--lr", "-1")]
    [InlineData("shapes", "--input", "2", "--kernel", "5")]
    [InlineData("summary", "fashion-cnn", "--input", "1,x,28")]
    [InlineData("predict", "/nonexistent.safetensors")]
    public void Bad_input_is_one_line_with_exit_code_2(params string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Shapes_reports_the_unused_row_and_the_output_padding_that_restores_it()
    {
        var conv = CliRunner.Run("shapes", "--input", "6", "--kernel", "3", "--stride", "2", "--padding", "1");
        Assert.Contains("= 3", conv.Output, StringComparison.Ordinal);
        Assert.Contains("the last 1 input position", conv.Output, StringComparison.Ordinal);
        var transposed = CliRunner.Run("shapes", "--input", "3", "--kernel", "3", "--stride", "2", "--padding", "1", "--transposed", "--want", "6");
        Assert.Contains("output padding 1 reaches the wanted size 6", transposed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (string command in new[] { "train", "eval", "predict", "summary", "shapes", "inspect", "export" })
        {
            var help = CliRunner.Run(command, "--help");
            Assert.True(help.ExitCode == 0, command);
            Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
        }
    }
}

/// <summary>Bit-for-bit comparison of two models' parameters and buffers.</summary>
internal static class TrainingSetupAccess
{
    public static void AssertIdentical(Convolve.Layers.Layer expected, Convolve.Layers.Layer actual) =>
        Training.TrainingSetup.AssertIdentical(Training.TrainingSetup.Snapshot(expected), actual, "resumed CLI run");
}
