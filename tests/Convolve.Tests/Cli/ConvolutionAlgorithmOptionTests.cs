using Convolve.Layers;

namespace Convolve.Tests.Cli;

/// <summary>
/// <c>--conv-algorithm</c> on any command: it sets the algorithm of every convolution (shown by
/// <c>summary</c>), and a name that is no algorithm is one line with exit code 2. It sets a
/// process-wide default, so these tests run alone and restore it.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public class ConvolutionAlgorithmOptionTests
{
    [Theory]
    [InlineData("im2col", "Im2Col")]
    [InlineData("direct", "Direct")]
    [InlineData("Auto", "Direct")]
    public void Summary_shows_the_algorithm_each_convolution_uses(string option, string secondConvolution)
    {
        ConvolutionAlgorithm saved = ConvolutionAlgorithms.Default;
        try
        {
            var result = CliRunner.Run("summary", "fashion-cnn", "--conv-algorithm", option);
            Assert.Equal(0, result.ExitCode);
            string[] rows = result.Output.Split('\n');
            Assert.EndsWith("Algorithm", rows[0].TrimEnd(), StringComparison.Ordinal);
            // The first layer has one input channel: Auto runs its forward pass direct and its gradients
            // with im2col (a channel block of its input gradient would be mostly padding).
            string first = option switch { "direct" => "Direct", "im2col" => "Im2Col", _ => "Direct, Im2Col gradients" };
            if (Convolve.Kernels.Simd.Level != Convolve.Kernels.SimdLevel.Scalar || option != "Auto")
            {
                Assert.EndsWith(first, rows[1].TrimEnd(), StringComparison.Ordinal);
            }
            if (Convolve.Kernels.Simd.Level != Convolve.Kernels.SimdLevel.Scalar || option != "Auto")
            {
                Assert.EndsWith(secondConvolution, rows[4].TrimEnd(), StringComparison.Ordinal);
            }
        }
        finally
        {
            ConvolutionAlgorithms.Default = saved;
        }
    }

    [Fact]
    public void An_unknown_algorithm_is_one_line_with_exit_code_2()
    {
        var result = CliRunner.Run("summary", "fashion-cnn", "--conv-algorithm", "fft");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("convolve: --conv-algorithm \"fft\" is not a convolution algorithm; use auto, im2col, direct, winograd, depthwise", result.Error.TrimEnd());
    }
}
