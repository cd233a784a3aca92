using System.IO.Compression;
using System.Text;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Cli;

public sealed class CliFrameTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void No_arguments_prints_help_and_succeeds()
    {
        var result = CliRunner.Run();
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("inspect", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_one_line_on_stderr_with_exit_code_2()
    {
        var result = CliRunner.Run("frobnicate");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("frobnicate", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_lists_the_tensors_of_a_valid_model()
    {
        string path = Path.Combine(folder, "model.safetensors");
        Model.Save(path, new Sequential(new Linear(3, 2, random: new RandomSource(1))));
        var result = CliRunner.Run("inspect", path);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("0.weight  F32  [2, 3]", result.Output, StringComparison.Ordinal);
        Assert.Contains("verified (every tensor and metadata value matches its checksum)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_refuses_a_checkpoint_that_holds_no_model_as_eval_would()
    {
        string path = SaveCheckpoint();
        var result = CliRunner.Run("inspect", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"convolve: {path} would be refused by eval: {path}: no 'architecture' in the metadata: the file holds tensors but not a model description", result.Error.TrimEnd());
        Assert.Contains("0.weight", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_says_what_is_wrong_with_a_broken_file_and_exits_2()
    {
        string path = SaveCheckpoint();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var result = CliRunner.Run("inspect", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a valid checkpoint", result.Error, StringComparison.Ordinal);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_of_a_missing_file_is_a_user_error()
    {
        var result = CliRunner.Run("inspect", Path.Combine(folder, "missing.safetensors"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing.safetensors", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_npz_writes_numpy_arrays_with_the_checkpoint_values()
    {
        string path = SaveCheckpoint();
        string target = Path.Combine(folder, "out.npz");
        var result = CliRunner.Run("export", path, "--format", "npz", "--output", target);
        Assert.Equal(0, result.ExitCode);

        using var zip = ZipFile.OpenRead(target);
        using var entry = new MemoryStream();
        zip.GetEntry("0.weight.npy")!.Open().CopyTo(entry);
        byte[] npy = entry.ToArray();
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, npy[..8]);
        int headerLength = npy[8] | (npy[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(npy, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header, StringComparison.Ordinal);
        Assert.Contains("'shape': (2, 3)", header, StringComparison.Ordinal);
        float[] values = new float[6];
        Buffer.BlockCopy(npy, 10 + headerLength, values, 0, 24);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], values);
    }

    [Fact]
    public void Export_refuses_an_unknown_format()
    {
        var result = CliRunner.Run("export", SaveCheckpoint(), "--format", "tflite");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tflite", result.Error, StringComparison.Ordinal);
    }

    private string SaveCheckpoint()
    {
        string path = Path.Combine(folder, "model.safetensors");
        CheckpointWriter.Save(path, [TensorData.Create("0.weight", new Shape(2, 3), new float[] { 1, 2, 3, 4, 5, 6 })]);
        return path;
    }
}
