using Convolve.Data;
using Convolve.Training;

namespace Convolve.Tests.Cli;

/// <summary>
/// Nothing is overwritten by accident and a failed command leaves no files: an existing run is
/// only replaced with --overwrite, output problems are found before any training, and a run that
/// fails before its first checkpoint removes the folder it created.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class CliRunFolderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-folders-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static CliRunner.Result Train(params string[] extra) => CliRunner.Run(
        ["train", "--model", "lenet5", "--data", DatasetLocator.SampleDirectory, "--limit", "64", "--epochs", "1", "--threads", "1", .. extra]);

    [Fact]
    public void An_existing_run_is_never_replaced_silently()
    {
        string run = Path.Combine(folder, "run");
        Assert.Equal(0, Train("-o", run).ExitCode);
        byte[] last = File.ReadAllBytes(Path.Combine(run, "last.safetensors"));

        string line = CliRunner.UserError(Train("-o", run));

        Assert.Equal($"convolve: --output {run} already holds a run (last.safetensors, best.safetensors); continue it with --resume {run}, choose another --output, or pass --overwrite to replace it", line);
        Assert.Equal(last, File.ReadAllBytes(Path.Combine(run, "last.safetensors")));
        string firstRun = TrainingCheckpoint.Load(Path.Combine(run, "last.safetensors")).Metadata[CheckpointCallback.RunIdKey];
        Assert.Equal(0, Train("-o", run, "--overwrite").ExitCode);
        Assert.NotEqual(firstRun, TrainingCheckpoint.Load(Path.Combine(run, "last.safetensors")).Metadata[CheckpointCallback.RunIdKey]);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_made_is_refused_before_training()
    {
        string file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "not a folder");
        var underFile = Train("-o", Path.Combine(file, "run"));
        Assert.Equal($"convolve: --output {Path.Combine(file, "run")} cannot be created: {file} is a file, not a folder", CliRunner.UserError(underFile));
        Assert.DoesNotContain("epoch", underFile.Output, StringComparison.Ordinal);

        var proc = Train("-o", "/proc/convolve-run");
        Assert.StartsWith("convolve: --output /proc/convolve-run cannot be written: ", CliRunner.UserError(proc), StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", proc.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_fails_before_its_first_checkpoint_leaves_no_folder()
    {
        string run = Path.Combine(folder, "parent", "run");
        // Ten steps per epoch; the learning rate makes the second step's loss NaN.
        string line = CliRunner.UserError(CliRunner.Run("train", "--model", "lenet5", "--data", DatasetLocator.SampleDirectory, "--limit", "640",
            "--epochs", "1", "--threads", "1", "--lr", "1e30", "-o", run));
        Assert.Contains("training diverged", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "parent")));
    }

    [Fact]
    public void Export_never_replaces_its_input_nor_an_existing_file_without_overwrite()
    {
        string run = Path.Combine(folder, "run");
        Assert.Equal(0, Train("-o", run).ExitCode);
        string model = Path.Combine(run, "best.safetensors");
        byte[] before = File.ReadAllBytes(model);

        Assert.Equal($"convolve: --output {model} is the input file; writing it would destroy the input. Choose another --output",
            CliRunner.UserError(CliRunner.Run("export", model, "-o", model)));
        Assert.Equal(before, File.ReadAllBytes(model));

        Assert.Equal(0, CliRunner.Run("export", model).ExitCode);
        string npz = Path.Combine(run, "best.npz");
        Assert.Equal($"convolve: --output {npz} already exists; pass --overwrite to replace it, or choose another --output", CliRunner.UserError(CliRunner.Run("export", model)));
        Assert.Equal(0, CliRunner.Run("export", model, "--overwrite").ExitCode);
        Assert.Equal(["best.npz", "best.safetensors", "curves.png", "history.json", "last.safetensors", "report.html"], Directory.GetFiles(run).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
