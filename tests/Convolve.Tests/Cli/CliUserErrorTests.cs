using Convolve.Data;

namespace Convolve.Tests.Cli;

/// <summary>
/// Every user error is one line on stderr naming the option, variable or file and the value
/// given, with exit code 2, and leaves nothing behind; exit code 1 is kept for internal errors.
/// </summary>
public sealed class CliUserErrorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-errors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("convolve: --lr must be a finite number greater than 0 but got 'abc'. See 'convolve train --help'.", "train", "--lr", "abc")]
    [InlineData("convolve: --lr must be a finite number greater than 0 but got '-1'. See 'convolve train --help'.", "train", "--lr", "-1")]
    [InlineData("convolve: --gamma must be a finite number greater than 0 but got 'nan'. See 'convolve train --help'.", "train", "--gamma", "nan")]
    [InlineData("convolve: --epochs must be a positive whole number but got '0'. See 'convolve train --help'.", "train", "--epochs", "0")]
    [InlineData("convolve: --warmup must be a whole number, 0 or more but got '-5'. See 'convolve train --help'.", "train", "--warmup", "-5")]
    [InlineData("convolve: --seed must be a whole number from 0 to 18446744073709551615 but got '-1'. See 'convolve train --help'.", "train", "--seed", "-1")]
    [InlineData("convolve: --batch-size must be a positive whole number but got '0'. See 'convolve train --help'.", "train", "--batch-size", "0")]
    [InlineData("convolve: --momentum must be a finite number at least 0 and at most 1 but got '1.5'. See 'convolve train --help'.", "train", "--momentum", "1.5")]
    [InlineData("convolve: --output-padding 1 applies only to a transposed convolution; add --transposed. See 'convolve shapes --help'.", "shapes", "-i", "5", "-k", "3", "--output-padding", "1")]
    [InlineData("convolve: --want 9 applies only to a transposed convolution; add --transposed. See 'convolve shapes --help'.", "shapes", "-i", "5", "-k", "3", "--want", "9")]
    [InlineData("convolve: --stride must be a positive whole number but got '0'. See 'convolve shapes --help'.", "shapes", "-i", "5", "-k", "3", "-s", "0")]
    [InlineData("convolve: --top must be a whole number from 1 to 10 but got '11'. See 'convolve predict --help'.", "predict", "m.safetensors", "--top", "11")]
    public void A_bad_option_value_is_named_with_the_text_given(string expected, params string[] args)
    {
        Assert.Equal(expected, CliRunner.UserError(CliRunner.Run(args)));
    }

    [Fact]
    public void Threads_beyond_the_cores_are_refused()
    {
        string line = CliRunner.UserError(CliRunner.Run("train", "--threads", "10000"));
        Assert.Equal($"convolve: --threads must be a whole number from 1 to {Environment.ProcessorCount} but got '10000'. See 'convolve train --help'.", line);
    }

    [Fact]
    public void A_folder_given_as_a_model_is_named_as_such()
    {
        Assert.Equal($"convolve: model {folder} is a folder, not a file", CliRunner.UserError(CliRunner.Run("eval", folder)));
        Assert.Equal($"convolve: file {folder} is a folder, not a file", CliRunner.UserError(CliRunner.Run("inspect", folder)));
    }

    [Fact]
    public void A_kernel_that_does_not_fit_names_the_options_without_internal_names()
    {
        string line = CliRunner.UserError(CliRunner.Run("shapes", "--input", "2", "--kernel", "5"));
        Assert.StartsWith("convolve: --input 2 --kernel 5 --stride 1 --padding 0 --dilation 1: kernel extent 5", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_size_a_zoo_model_cannot_take_is_said_without_parameter_names()
    {
        string line = CliRunner.UserError(CliRunner.Run("summary", "fashion-cnn", "--input", "1,2,2"));
        Assert.StartsWith("convolve: fashion-cnn cannot take 2×2 images", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    public void Images_and_labels_of_different_counts_are_a_user_error(string command)
    {
        bool train = command == "train";
        string data = DataFolders.WithLabelsDropped(folder, train ? "train" : "t10k");
        string[] args = train ? ["train", "--data", data, "-o", Path.Combine(folder, "run")] : ["eval", SavedModels.Lenet(folder), "--data", data];
        string line = CliRunner.UserError(CliRunner.Run(args));
        Assert.Contains(train ? "holds 5,000 images but" : "holds 1,000 images but", line, StringComparison.Ordinal);
        Assert.Contains(train ? "holds 4,999 labels; they must be the same data set" : "holds 999 labels; they must be the same data set", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "run")));
    }

    [Fact]
    public void An_empty_data_set_is_a_user_error()
    {
        string data = DataFolders.WithEmptyTrainingSet(folder);
        string line = CliRunner.UserError(CliRunner.Run("train", "--data", data, "-o", Path.Combine(folder, "run")));
        Assert.EndsWith("train-images-idx3-ubyte holds no images; a data set needs at least one", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_byte_images_are_refused_before_any_data_is_read()
    {
        string data = DataFolders.WithTrainImageType(folder, 0x09);
        var result = CliRunner.Run("train", "--data", data, "-o", Path.Combine(folder, "run"));
        string line = CliRunner.UserError(result);
        Assert.EndsWith("at byte 2: expected images of element type ubyte (0x08), float32 (0x0D) or float64 (0x0E) but found sbyte (0x09)", line, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void A_batch_larger_than_the_training_set_is_refused()
    {
        string line = CliRunner.UserError(CliRunner.Run("train", "--data", DatasetLocator.SampleDirectory, "--batch-size", "1000000", "-o", Path.Combine(folder, "run")));
        Assert.Equal("convolve: --batch-size 1000000 is more than the 5,000 training images", line);
        Assert.False(Directory.Exists(Path.Combine(folder, "run")));
    }
}
