using Convolve.Cli;

namespace Convolve.Tests.Cli;

/// <summary>
/// A mistyped command, option or value is refused in one line that names it and suggests the
/// nearest valid spelling (the parser's own messages were one sentence per stray token and named
/// no option).
/// </summary>
public sealed class CliSpellingTests
{
    [Theory]
    [InlineData("convolve: evall is not a convolve command; did you mean eval? See 'convolve --help'.", "evall", "x")]
    [InlineData("convolve: convolve train has no option --epoch; did you mean --epochs? See 'convolve train --help'.", "train", "--epoch", "3")]
    [InlineData("convolve: convolve train has no option --conv-algoritm; did you mean --conv-algorithm? See 'convolve train --help'.", "train", "--conv-algoritm", "direct")]
    [InlineData("convolve: --model must be one of lenet5, fashion-cnn, vgg-small, resnet-small, resnet18, mobilenet-v2, squeezenet but got 'resnet-huge'; did you mean resnet-small? See 'convolve train --help'.", "train", "--model", "resnet-huge")]
    [InlineData("convolve: --model must be one of lenet5, fashion-cnn, vgg-small, resnet-small, resnet18, mobilenet-v2, squeezenet but got 'resnet-huge'; did you mean resnet-small? See 'convolve train --help'.", "train", "-m", "resnet-huge")]
    [InlineData("convolve: --optimizer must be one of sgd, adam, adamw but got 'adm'; did you mean adam? See 'convolve train --help'.", "train", "--optimizer", "adm")]
    [InlineData("convolve: --format must be one of npz, onnx but got 'xml'. See 'convolve export --help'.", "export", "m.safetensors", "--format", "xml")]
    [InlineData("convolve: deconvv is not a convolve visualize command; did you mean deconv? See 'convolve visualize --help'.", "visualize", "deconvv")]
    [InlineData("convolve: convolve visualize needs a command: deconv, filters, features, saliency. See 'convolve visualize --help'.", "visualize")]
    [InlineData("convolve: --conv-algorithm \"winograde\" is not a convolution algorithm; use auto, im2col, direct, winograd, depthwise; did you mean winograd?", "info", "--conv-algorithm", "winograde")]
    [InlineData("convolve: convolve train takes no argument 'x'. See 'convolve train --help'.", "train", "x", "y")]
    [InlineData("convolve: model resnet-huge is neither a zoo model (lenet5, fashion-cnn, vgg-small, resnet-small, resnet18, mobilenet-v2, squeezenet) nor an existing file; did you mean resnet-small?", "summary", "resnet-huge")]
    public void A_mistyped_word_is_one_line_naming_it_with_the_nearest_spelling(string expected, params string[] args)
    {
        Assert.Equal(expected, CliRunner.UserError(CliRunner.Run(args)));
    }

    [Fact]
    public void A_word_far_from_every_command_lists_them_instead_of_guessing()
    {
        string line = CliRunner.UserError(CliRunner.Run("xyzzyplugh"));
        Assert.StartsWith("convolve: xyzzyplugh is not a convolve command; the commands are train, eval, predict,", line, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("eval", "evall", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    [InlineData("resnet-huge", "resnet-small", 5)]
    public void The_edit_distance_is_levenshteins(string a, string b, int distance)
    {
        Assert.Equal(distance, Spelling.Distance(a, b));
        Assert.Equal(distance, Spelling.Distance(b, a));
    }

    [Fact]
    public void The_nearest_candidate_is_suggested_only_when_it_is_close()
    {
        Assert.Equal("--epochs", Spelling.Closest("--epoch", ["--batch-size", "--epochs", "--output"]));
        Assert.Equal("eval", Spelling.Closest("EVAL", ["train", "eval"]));
        Assert.Null(Spelling.Closest("zzzz", ["train", "eval"]));
    }
}
