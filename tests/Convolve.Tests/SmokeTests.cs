using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Tests;

public class ShapeAndTensorTests
{
    [Fact]
    public void Reshape_is_a_view_sharing_storage()
    {
        var t = Tensor.Zeros(2, 3, 4);
        var v = t.Reshape(6, -1);
        Assert.Equal(new Shape(6, 4), v.Shape);
        v.Data[5] = 7f;
        Assert.Equal(7f, t[0, 1, 1]);
    }

    [Fact]
    public void Reshape_to_wrong_size_names_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_fills_are_reproducible_for_a_seed_and_differ_across_seeds()
    {
        var a = Tensor.RandomNormal(new Shape(1000), 42);
        var b = Tensor.RandomNormal(new Shape(1000), 42);
        var c = Tensor.RandomNormal(new Shape(1000), 43);
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
        double mean = a.Data.Average(), variance = a.Data.Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(variance, 0.85, 1.15);
    }

    [Fact]
    public void Negative_dimension_is_refused_with_the_shape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Shape(2, -1));
        Assert.Contains("-1", ex.Message, StringComparison.Ordinal);
    }
}

public class ConvGeometryTests
{
    [Theory]
    [InlineData(28, 5, 1, 2, 1, 28)]
    [InlineData(7, 3, 2, 1, 1, 4)]
    [InlineData(5, 3, 1, 0, 2, 1)]
    [InlineData(4, 2, 1, 0, 1, 3)]
    public void Convolution_output_size_follows_the_formula(int input, int kernel, int stride, int padding, int dilation, int expected)
    {
        var g = ConvGeometry.ForConvolution("Conv1d", 1, kernel, stride, padding, dilation);
        Assert.Equal(expected, g.ConvolutionOutputSize([input])[0]);
    }

    [Theory]
    [InlineData(6, 3, 1, 1, 6)]
    [InlineData(6, 4, 1, 1, 6)]
    [InlineData(5, 2, 3, 1, 5)]
    public void Same_padding_keeps_the_size_even_for_even_kernels(int input, int kernel, int dilation, int stride, int expected)
    {
        var g = ConvGeometry.ForConvolution("Conv1d", 1, kernel, stride, Padding.Same, dilation);
        Assert.Equal(expected, g.ConvolutionOutputSize([input])[0]);
        Assert.Equal(dilation * (kernel - 1), g.PadBefore[0] + g.PadAfter[0]);
    }

    [Fact]
    public void Full_padding_grows_the_output_by_kernel_minus_one()
    {
        var g = ConvGeometry.ForConvolution("Conv2d", 2, 3, 1, "full", 1);
        Assert.Equal(new[] { 7, 9 }, g.ConvolutionOutputSize([5, 7]));
    }

    [Theory]
    [InlineData(7, 4, 2, 1, 0, 1, 14)]
    [InlineData(7, 3, 2, 1, 1, 1, 14)]
    [InlineData(3, 3, 1, 0, 0, 2, 7)]
    public void Transposed_output_size_follows_the_formula(int input, int kernel, int stride, int padding, int outputPadding, int dilation, int expected)
    {
        var g = ConvGeometry.ForTransposedConvolution("ConvTranspose1d", 1, kernel, stride, padding, outputPadding, dilation);
        Assert.Equal(expected, g.TransposedOutputSize([input])[0]);
    }

    [Theory]
    [InlineData(5, 2, 2, 0, false, 2)]
    [InlineData(5, 2, 2, 0, true, 3)]
    [InlineData(6, 3, 2, 1, true, 4)]
    [InlineData(4, 2, 2, 1, true, 3)]
    public void Pooling_output_size_with_and_without_ceil_mode(int input, int kernel, int stride, int padding, bool ceil, int expected)
    {
        var g = ConvGeometry.ForPooling("MaxPool1d", 1, kernel, stride, padding, 1);
        Assert.Equal(expected, g.PoolingOutputSize([input], ceil)[0]);
    }

    [Fact]
    public void Bad_options_are_refused_with_rule_and_values()
    {
        Assert.Contains("stride must be positive", Assert.Throws<ArgumentException>(() => ConvGeometry.ForConvolution("Conv2d", 2, 3, 0, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("kernelSize must be positive", Assert.Throws<ArgumentException>(() => ConvGeometry.ForConvolution("Conv2d", 2, (3, -1), 1, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("dilation must be positive", Assert.Throws<ArgumentException>(() => ConvGeometry.ForConvolution("Conv2d", 2, 3, 1, 0, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("non-negative", Assert.Throws<ArgumentException>(() => ConvGeometry.ForConvolution("Conv2d", 2, 3, 1, -1, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("\"same\" needs stride 1", Assert.Throws<ArgumentException>(() => ConvGeometry.ForConvolution("Conv2d", 2, 3, 2, "same", 1)).Message, StringComparison.Ordinal);
        Assert.Contains("output padding (2) must be smaller than stride (2) or dilation (1)",
            Assert.Throws<ArgumentException>(() => ConvGeometry.ForTransposedConvolution("ConvTranspose2d", 2, 3, 2, 0, 2, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("at most half the kernel size (3)",
            Assert.Throws<ArgumentException>(() => ConvGeometry.ForPooling("MaxPool2d", 2, 3, 1, 2, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("needs 1 or 2 values but got 3", Assert.Throws<ArgumentException>(() => ConvGeometry.ForConvolution("Conv2d", 2, (3, 3, 3), 1, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("\"bogus\"", Assert.Throws<ArgumentException>(() => ConvGeometry.ForConvolution("Conv2d", 2, 3, 1, "bogus", 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_larger_than_padded_input_is_refused()
    {
        var g = ConvGeometry.ForConvolution("Conv2d", 2, 5, 1, 0, 1);
        var ex = Assert.Throws<ArgumentException>(() => g.ConvolutionOutputSize([4, 9]));
        Assert.Contains("kernel extent 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("padded input 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_padding_below_dilation_is_allowed_even_when_not_below_stride()
    {
        var g = ConvGeometry.ForTransposedConvolution("ConvTranspose1d", 1, 3, 1, 0, 1, 2);
        Assert.Equal(8, g.TransposedOutputSize([3])[0]);
    }
}
