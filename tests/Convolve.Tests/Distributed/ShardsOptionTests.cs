using Convolve.Data;
using Convolve.Tests.Cli;
using Convolve.Training;

namespace Convolve.Tests.Distributed;

/// <summary>`convolve train --shards` in one process (no MPI) and the data-parallel options' errors.</summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class ShardsOptionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-shards-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("--shards", "0", "--shards must be a positive whole number but got '0'")]
    [InlineData("--comm-timeout", "0", "--comm-timeout must be a finite number greater than 0 but got '0'")]
    [InlineData("--comm-timeout", "-3", "--comm-timeout must be a finite number greater than 0 but got '-3'")]
    public void BadValuesAreOneLineAndExitCodeTwo(string option, string value, string message)
    {
        var run = CliRunner.Run("train", option, value, "--data", DatasetLocator.SampleDirectory, "-o", Path.Combine(folder, "bad"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"convolve: {message}. See 'convolve train --help'.\n", run.Error.Replace("\r", "", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(folder, "bad")));
    }

    [Fact]
    public void AShardedRunSaysWhichRunsMatchItAndResumesExactly()
    {
        string whole = Path.Combine(folder, "whole"), halves = Path.Combine(folder, "halves");
        var run = Train(whole);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("data-parallel: 1 process, each batch of 48 cut into 4 gradient shards; any run with --batch-size 48 --shards 4 on 1, 2, 3 or 4 ranks ends with the same weights", run.Output, StringComparison.Ordinal);
        Assert.Contains("data-parallel: 1 rank, 4 shards of 12 images; each rank sent ", run.Output, StringComparison.Ordinal);

        Assert.Equal(0, Train(halves, "--pause-after", "1").ExitCode);
        var resumed = CliRunner.Run("train", "--resume", halves, "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("cut into 4 gradient shards", resumed.Output, StringComparison.Ordinal);
        var expected = TrainingCheckpoint.Load(Path.Combine(whole, "last.safetensors"));
        var actual = TrainingCheckpoint.Load(Path.Combine(halves, "last.safetensors"));
        Assert.Equal(expected.GlobalStep, actual.GlobalStep);
        Assert.Equal(expected.GlobalRandomState, actual.GlobalRandomState);
        Assert.False(Training.TrainingSetup.AnyDifferent(Training.TrainingSetup.Snapshot(expected.Model), Training.TrainingSetup.Snapshot(actual.Model)),
            "a run of 4 shards resumed after epoch 1 differs from the uninterrupted run");
    }

    [Fact]
    public void AResumeMayChangeTheShardCountAndSaysWhatThatMeans()
    {
        string run = Path.Combine(folder, "reshard");
        Assert.Equal(0, Train(run, "--pause-after", "1").ExitCode);
        var resumed = CliRunner.Run("train", "--resume", run, "--shards", "2", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("--shards 2: the run had 4 shards; it continues with 2, so from here on its weights are those of a run with --shards 2, not of one that kept 4", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("cut into 2 gradient shards", resumed.Output, StringComparison.Ordinal);
        var recipe = TrainingCheckpoint.Load(Path.Combine(run, "last.safetensors")).Metadata["recipe"];
        Assert.Contains("\"Shards\":2", recipe, StringComparison.Ordinal);
    }

    private static CliRunner.Result Train(string output, params string[] more) => CliRunner.Run(
        ["train", "--model", "lenet5", "--data", DatasetLocator.SampleDirectory, "--limit", "240", "--batch-size", "48", "--shards", "4",
         "--threads", "1", "--epochs", "2", "-o", output, .. more]);
}
