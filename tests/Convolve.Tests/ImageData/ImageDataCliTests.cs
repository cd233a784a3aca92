using System.Globalization;
using System.Text.RegularExpressions;
using Convolve.Tests.Cli;

namespace Convolve.Tests.ImageData;

/// <summary><c>convolve train --data</c> on a folder of pictures and on CIFAR-10 batches; bad files are one line naming them, exit 2, nothing written.</summary>
public sealed partial class ImageDataCliTests : IDisposable
{
    private readonly PictureFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Train_learns_a_folder_of_pictures_and_eval_reads_it_the_same_way()
    {
        string pictures = folder.Write("pictures", perClass: 15);
        string run = Path.Combine(folder.Root, "run");
        var train = CliRunner.Run("train", "--data", pictures, "--model", "lenet5", "--image-size", "16", "--epochs", "6", "--schedule", "none", "--batch-size", "8", "--threads", "1", "--augment", "--output", run);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains($"data: 3 classes of pictures from {pictures} as 3×16×16, 20 % of each class held out for testing (given with --data)", train.Output, StringComparison.Ordinal);
        Assert.Contains("36 training and 9 test images", train.Output, StringComparison.Ordinal);
        Assert.True(BestAccuracy(train.Output) >= 0.99, train.Output);
        var eval = CliRunner.Run("eval", Path.Combine(run, "best.safetensors"), "--data", pictures);
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("9 test images: accuracy 100.00 %", eval.Output, StringComparison.Ordinal);
        var checkpoint = Convolve.Serialization.CheckpointReader.Load(Path.Combine(run, "best.safetensors"));
        Assert.Equal("[\"apple\",\"leaf\",\"sky\"]", checkpoint.Metadata["class_names"]);
        Assert.StartsWith("[", checkpoint.Metadata["normalization_mean"], StringComparison.Ordinal);
        Assert.Equal("[3,16,16]", checkpoint.Metadata["input_shape"]);
    }

    [Fact]
    public void Train_reads_CIFAR_10_batches_as_RGB()
    {
        string cifar = Path.Combine(folder.Root, "cifar");
        Directory.CreateDirectory(cifar);
        File.WriteAllBytes(Path.Combine(cifar, "data_batch_1.bin"), Cifar10Tests.Batch(40));
        File.WriteAllBytes(Path.Combine(cifar, "test_batch.bin"), Cifar10Tests.Batch(10));
        var train = CliRunner.Run("train", "--data", cifar, "--model", "lenet5", "--epochs", "1", "--batch-size", "16", "--threads", "1", "--output", Path.Combine(folder.Root, "run"));
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("40 training and 10 test images", train.Output, StringComparison.Ordinal);
        var checkpoint = Convolve.Serialization.CheckpointReader.Load(Path.Combine(folder.Root, "run", "last.safetensors"));
        Assert.Equal("[3,32,32]", checkpoint.Metadata["input_shape"]);
        Assert.Contains("\"airplane\"", checkpoint.Metadata["class_names"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_picture_an_empty_class_and_a_cut_batch_are_one_line_exit_2_and_nothing_is_written()
    {
        string pictures = folder.Write("bad", perClass: 3);
        string broken = Path.Combine(pictures, "sky", "002.bmp");
        File.WriteAllText(broken, "not a bitmap");
        AssertRefused(["--data", pictures], $"convolve: {broken}: ");
        File.Delete(broken);
        Directory.CreateDirectory(Path.Combine(pictures, "zebra"));
        AssertRefused(["--data", pictures], $"convolve: {Path.Combine(pictures, "zebra")}: the class folder holds no picture");
        string cifar = Path.Combine(folder.Root, "cifar");
        Directory.CreateDirectory(cifar);
        File.WriteAllBytes(Path.Combine(cifar, "data_batch_1.bin"), Cifar10Tests.Batch(3)[..5000]);
        File.WriteAllBytes(Path.Combine(cifar, "test_batch.bin"), Cifar10Tests.Batch(1));
        AssertRefused(["--data", cifar], $"convolve: {Path.Combine(cifar, "data_batch_1.bin")}: at byte 3073: a CIFAR-10 batch is a run of 3,073-byte records");
        AssertRefused(["--data", cifar, "--channels", "1"], "convolve: --image-size, --channels and --val-fraction apply to folders of pictures, not to CIFAR-10 batches");
        AssertRefused(["--data", pictures, "--channels", "2"], "convolve: --channels must be 1 (gray) or 3 (RGB) but got 2");
        AssertRefused(["--data", pictures, "--val-fraction", "1"], "convolve: --val-fraction must be below 1 (some pictures must be left to train on) but got 1");
    }

    private void AssertRefused(string[] options, string expected)
    {
        string run = Path.Combine(folder.Root, "refused-run");
        var result = CliRunner.Run(["train", "--model", "lenet5", "--epochs", "1", "--batch-size", "4", "--output", run, .. options]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(Directory.Exists(run), "a refused run left its folder");
    }

    private static double BestAccuracy(string output) =>
        double.Parse(BestLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture) / 100;

    [GeneratedRegex(@"best test accuracy ([0-9.]+) %")]
    private static partial Regex BestLine();
}
