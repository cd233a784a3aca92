using System.Globalization;
using Convolve.Data;
using Convolve.Serialization;
using Convolve.Training;

namespace Convolve.Tests.Cli;

/// <summary>
/// Resume is exact from anywhere: a run stopped mid-schedule and resumed from another working
/// directory, with $CONVOLVE_DATA pointing elsewhere, ends bit-identical to an uninterrupted run;
/// the data are found by the absolute folder the run recorded, and other data are refused unless
/// --data asks for them.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class CliResumeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-resume-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string[] Recipe(string data, string output, int epochs) =>
        ["train", "--model", "lenet5", "--data", data, "--limit", "1500", "--batch-size", "32", "--threads", "1",
         "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "-o", output];

    [Fact]
    public void A_stopped_run_resumed_from_elsewhere_ends_identical_to_an_uninterrupted_run()
    {
        string straight = Path.Combine(folder, "straight");
        Assert.Equal(0, CliRunner.Run(Recipe(DatasetLocator.SampleDirectory, straight, 3)).ExitCode);

        // The first part runs in another working directory with a relative --data, and stops
        // after its first epoch as a crash would leave it (checkpoints are written at epoch ends;
        // a crash inside a save or between the two saves is covered by KillTests and CheckpointRecoveryTests).
        string first = Directory.CreateDirectory(Path.Combine(folder, "first-cwd")).FullName;
        string relativeData = Path.GetRelativePath(first, DatasetLocator.SampleDirectory);
        using (var part = CliProcess.Start(null, first, [.. Recipe(relativeData, "run", 3), "--pause-after", "1"]))
        {
            string said = part.StandardOutput.ReadToEnd();
            part.WaitForExit();
            Assert.True(part.ExitCode == 0, part.StandardError.ReadToEnd());
            Assert.Contains("paused after epoch 1 of 3; continue with: convolve train --resume run", said, StringComparison.Ordinal);
        }
        string run = Path.Combine(first, "run");
        var recorded = TrainRecipeOf(Path.Combine(run, "last.safetensors"));
        Assert.Equal(Path.GetFullPath(DatasetLocator.SampleDirectory), recorded.Data);

        string elsewhere = Directory.CreateDirectory(Path.Combine(folder, "second-cwd")).FullName;
        using var resume = CliProcess.Start(new Dictionary<string, string> { ["CONVOLVE_DATA"] = DataFolders.WithLabelsDropped(folder, "train") },
            elsewhere, "train", "--resume", run, "--threads", "1");
        string output = resume.StandardOutput.ReadToEnd(), error = resume.StandardError.ReadToEnd();
        resume.WaitForExit();
        Assert.True(resume.ExitCode == 0, error);
        Assert.Contains("resuming after epoch 1", output, StringComparison.Ordinal);
        Assert.Contains("(the run's own, as its checkpoint records)", output, StringComparison.Ordinal);

        var expected = TrainingCheckpoint.Load(Path.Combine(straight, "last.safetensors"));
        var actual = TrainingCheckpoint.Load(Path.Combine(run, "last.safetensors"));
        TrainingSetupAccess.AssertIdentical(expected.Model, actual.Model);
        Assert.Equal((expected.BestEpoch, expected.BestAccuracy), (actual.BestEpoch, actual.BestAccuracy));
        var best = CheckpointReader.Load(Path.Combine(run, "best.safetensors")).Metadata;
        Assert.Equal(expected.BestEpoch?.ToString(CultureInfo.InvariantCulture), best["epoch"]);
    }

    [Fact]
    public void Other_data_are_refused_at_resume_unless_data_is_given()
    {
        string data = DataFolders.Copy(folder, "data");
        string run = Path.Combine(folder, "run");
        Assert.Equal(0, CliRunner.Run(Recipe(data, run, 1)).ExitCode);
        // The same labels, decompressed: another file, so the fingerprint differs.
        DataFolders.Rewrite(data, "t10k-labels-idx1-ubyte", bytes => bytes);

        string line = CliRunner.UserError(CliRunner.Run("train", "--resume", run, "--epochs", "2"));
        Assert.StartsWith($"convolve: the data in {data} are not the data the run trained on: t10k-labels-idx1-ubyte is 1,008 bytes", line, StringComparison.Ordinal);
        Assert.EndsWith($"pass --data {data} to resume on them anyway", line, StringComparison.Ordinal);

        var resumed = CliRunner.Run("train", "--resume", run, "--epochs", "2", "--data", data, "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("data: not the data the run trained on", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(data, TrainRecipeOf(Path.Combine(run, "last.safetensors")).Data);
    }

    [Fact]
    public void A_resume_asks_for_nothing_it_cannot_honour()
    {
        string run = Path.Combine(folder, "run");
        Assert.Equal(0, CliRunner.Run(Recipe(DatasetLocator.SampleDirectory, run, 1)).ExitCode);
        Assert.Equal("convolve: --lr cannot be given with --resume: a resumed run keeps its recipe; only --epochs (the new total), --data, --threads, --output, --pause-after, --shards, --distributed, --comm-timeout and --profile may be given",
            CliRunner.UserError(CliRunner.Run("train", "--resume", run, "--epochs", "2", "--lr", "0.1")));
        Assert.Equal($"convolve: the run in {Path.Combine(run, "last.safetensors")} has already completed all its 1 epoch; pass --epochs with more than 1 to extend it",
            CliRunner.UserError(CliRunner.Run("train", "--resume", run)));
        Assert.Equal("convolve: --pause-after 1 must be after the 1 epoch done and before the run's 3",
            CliRunner.UserError(CliRunner.Run("train", "--resume", run, "--epochs", "3", "--pause-after", "1")));
        Assert.Equal($"convolve: --overwrite would replace the run being resumed in {run}; drop --overwrite, or choose another --output",
            CliRunner.UserError(CliRunner.Run("train", "--resume", run, "--epochs", "2", "--overwrite")));
    }

    [Fact]
    public void A_resumed_epoch_that_is_not_a_new_best_reports_the_earlier_best()
    {
        string run = Path.Combine(folder, "run");
        Assert.Equal(0, CliRunner.Run(Recipe(DatasetLocator.SampleDirectory, run, 1)).ExitCode);
        var before = TrainingCheckpoint.Load(Path.Combine(run, "last.safetensors"));
        // Every later epoch is scored against the first; force "not a new best" by raising the recorded best.
        var checkpoint = CheckpointReader.Load(Path.Combine(run, "last.safetensors"));
        var metadata = checkpoint.Metadata.ToDictionary(p => p.Key, p => p.Value);
        metadata["best_accuracy"] = "1";
        CheckpointWriter.Save(Path.Combine(run, "last.safetensors"), checkpoint.Tensors, metadata);

        var resumed = CliRunner.Run("train", "--resume", run, "--epochs", "2", "--threads", "1");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains($"best test accuracy 100.00 % after epoch 1, before this resume: {Path.Combine(run, "best.safetensors")}", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(0, before.BestEpoch);
    }

    private static Convolve.Cli.TrainRecipe TrainRecipeOf(string last) =>
        Convolve.Cli.TrainRecipe.FromJson(CheckpointReader.Load(last).Metadata[Convolve.Cli.TrainRecipe.MetadataKey], last);
}
