using Convolve.Diagnostics;

namespace Convolve.Tests.Summary;

public class ConvolutionArithmeticTests
{
    [Theory]
    // Dumoulin & Visin's relationships: no padding, unit stride: o = i − k + 1.
    [InlineData(4, 3, 1, 0, 1, 2, 0)]
    // Zero padding, unit stride: o = i − k + 2p + 1.
    [InlineData(5, 4, 1, 2, 1, 6, 0)]
    // Half ("same") padding and full padding.
    [InlineData(5, 3, 1, 1, 1, 5, 0)]
    [InlineData(5, 3, 1, 2, 1, 7, 0)]
    // No padding, stride 2: o = floor((i − k)/s) + 1.
    [InlineData(5, 3, 2, 0, 1, 2, 0)]
    // Padding and stride: 5 and 6 both give 3; 6 leaves its last padded row unused.
    [InlineData(5, 3, 2, 1, 1, 3, 0)]
    [InlineData(6, 3, 2, 1, 1, 3, 1)]
    // Dilation 2 turns a 3-tap kernel into an extent of 5: o = i − 5 + 1.
    [InlineData(7, 3, 1, 0, 2, 3, 0)]
    // Stride 3 over 7 − 3 = 4 leaves 1 unused; over 28 with a 2×2 window, none.
    [InlineData(7, 3, 3, 0, 1, 2, 1)]
    [InlineData(28, 2, 2, 0, 1, 14, 0)]
    [InlineData(27, 2, 2, 0, 1, 13, 1)]
    public void Convolution_output_size_and_unused_input(int input, int kernel, int stride, int padding, int dilation, int output, int unused)
    {
        Assert.Equal(output, ConvolutionArithmetic.OutputSize(input, kernel, stride, padding, dilation));
        Assert.Equal(unused, ConvolutionArithmetic.UnusedInput(input, kernel, stride, padding, dilation));
    }

    [Theory]
    // The transposes of the cases above: (i − 1)·s − 2p + d(k − 1) + 1 + output padding.
    [InlineData(3, 3, 2, 1, 0, 1, 5)]
    [InlineData(3, 3, 2, 1, 1, 1, 6)]
    [InlineData(2, 3, 1, 0, 0, 1, 4)]
    [InlineData(3, 3, 1, 0, 0, 2, 7)]
    [InlineData(2, 4, 2, 1, 0, 1, 4)]
    public void Transposed_output_size(int input, int kernel, int stride, int padding, int outputPadding, int dilation, int output)
    {
        Assert.Equal(output, ConvolutionArithmetic.TransposedOutputSize(input, kernel, stride, padding, outputPadding, dilation));
    }

    [Fact]
    public void Output_padding_chooses_which_input_size_the_transpose_returns_to()
    {
        Assert.Equal(0, ConvolutionArithmetic.OutputPaddingFor(3, 5, 3, stride: 2, padding: 1));
        Assert.Equal(1, ConvolutionArithmetic.OutputPaddingFor(3, 6, 3, stride: 2, padding: 1));
        // Output padding may reach up to max(stride, dilation) − 1: with stride 1 and dilation 3, 0 to 2,
        // so from (2 − 1)·1 + 3·(2 − 1) + 1 = 5 up to 7.
        Assert.Equal(2, ConvolutionArithmetic.OutputPaddingFor(2, 7, 2, stride: 1, padding: 0, dilation: 3));
    }

    [Fact]
    public void The_output_padding_that_undoes_a_convolution_is_its_unused_input()
    {
        for (int input = 1; input <= 12; input++)
        {
            for (int kernel = 1; kernel <= 4; kernel++)
            {
                for (int stride = 1; stride <= 3; stride++)
                {
                    for (int padding = 0; padding <= 2; padding++)
                    {
                        for (int dilation = 1; dilation <= 2; dilation++)
                        {
                            if (input + 2 * padding < dilation * (kernel - 1) + 1)
                            {
                                continue;
                            }
                            int output = ConvolutionArithmetic.OutputSize(input, kernel, stride, padding, dilation);
                            int unused = ConvolutionArithmetic.UnusedInput(input, kernel, stride, padding, dilation);
                            Assert.InRange(unused, 0, stride - 1);
                            string at = $"in {input}, k {kernel}, s {stride}, p {padding}, d {dilation}";
                            Assert.True(
                                (output - 1) * stride + dilation * (kernel - 1) + 1 + unused == input + 2 * padding,
                                $"{at}: the windows and the unused rows must cover the padded input");
                            // Unless the unused rows are all padding the transpose reaches the input size again.
                            if (input - unused >= 1)
                            {
                                Assert.Equal(unused, ConvolutionArithmetic.OutputPaddingFor(output, input, kernel, stride, padding, dilation));
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void An_unreachable_size_names_the_reachable_range()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.OutputPaddingFor(3, 7, 3, stride: 2, padding: 1));
        Assert.Contains("reaches output sizes 5 to 6 (output padding 0 to 1), not 7", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.OutputPaddingFor(3, 4, 3, stride: 2, padding: 1));
        Assert.Contains("not 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_refused_with_their_values()
    {
        Assert.Contains("input size must be positive but got 0",
            Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.OutputSize(0, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("input size must be positive but got -2",
            Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.TransposedOutputSize(-2, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("kernel extent 5 (dilation 2 · (kernel 3 − 1) + 1) is larger than the padded input 4",
            Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.UnusedInput(4, 3, dilation: 2)).Message, StringComparison.Ordinal);
        Assert.Contains("stride must be positive but got [0]",
            Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.OutputSize(5, 3, stride: 0)).Message, StringComparison.Ordinal);
        Assert.Contains("output padding (2) must be smaller than stride (2) or dilation (1)",
            Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.TransposedOutputSize(3, 3, 2, 1, outputPadding: 2)).Message, StringComparison.Ordinal);
        Assert.Contains("output size -1 in spatial dimension 0 is not positive",
            Assert.Throws<ArgumentException>(() => ConvolutionArithmetic.TransposedOutputSize(1, 1, 1, padding: 1)).Message, StringComparison.Ordinal);
    }
}
