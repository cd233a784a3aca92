using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>Every rule the convolution layers enforce, each with the values named in its message.</summary>
public class ConvolutionValidationTests
{
    private static readonly RandomSource Random = new(1);

    [Fact]
    public void Channel_counts_must_be_positive()
    {
        AssertMessage(() => new Conv2d(0, 4, 3), "Conv2d: inChannels and outChannels must be positive but got inChannels 0, outChannels 4");
        AssertMessage(() => new Conv1d(3, -1, 3), "Conv1d: inChannels and outChannels must be positive but got inChannels 3, outChannels -1");
        AssertMessage(() => new ConvTranspose3d(2, 0, 3), "ConvTranspose3d: inChannels and outChannels must be positive but got inChannels 2, outChannels 0");
    }

    [Fact]
    public void Groups_must_be_positive_and_divide_both_channel_counts()
    {
        AssertMessage(() => new Conv2d(4, 4, 3, groups: 0), "Conv2d: groups must be positive but got 0");
        AssertMessage(() => new ConvTranspose2d(4, 4, 3, groups: -2), "ConvTranspose2d: groups must be positive but got -2");
        AssertMessage(() => new Conv2d(6, 8, 3, groups: 4), "Conv2d: groups (4) must divide both inChannels (6) and outChannels (8)");
        AssertMessage(() => new ConvTranspose1d(6, 9, 3, groups: 2), "ConvTranspose1d: groups (2) must divide both inChannels (6) and outChannels (9)");
    }

    [Fact]
    public void Window_options_are_validated_by_the_geometry_before_anything_else()
    {
        AssertMessage(() => new Conv2d(3, 4, default), "Conv2d: kernelSize is required");
        AssertMessage(() => new Conv3d(3, 4, (3, 0, 3)), "Conv3d: kernelSize must be positive but got [3, 0, 3]");
        AssertMessage(() => new Conv2d(3, 4, 3, stride: 2, padding: "same"), "Conv2d: padding \"same\" needs stride 1 but got stride [2, 2]");
        AssertMessage(() => new Conv1d(3, 4, 3, padding: -1), "Conv1d: padding must be non-negative but got [-1]");
        AssertMessage(() => new ConvTranspose2d(3, 4, 3, stride: 2, outputPadding: 2), "ConvTranspose2d: output padding (2) must be smaller than stride (2) or dilation (1) in spatial dimension 0");
        AssertMessage(() => new ConvTranspose2d(3, 4, 3, padding: "same"), "ConvTranspose2d: padding \"same\" is not supported for transposed convolution");
        // Geometry is checked even when the channel counts are also wrong.
        AssertMessage(() => new Conv2d(0, 4, 3, dilation: 0), "Conv2d: dilation must be positive but got [0, 0]");
    }

    [Theory]
    [InlineData(2, new[] { 8, 1, 28, 28 }, "Conv2d(inChannels: 3) expected input [N, 3, H, W] but got [8, 1, 28, 28]")]
    [InlineData(2, new[] { 3, 28, 28 }, "Conv2d(inChannels: 3) expected input [N, 3, H, W] but got [3, 28, 28]")]
    [InlineData(1, new[] { 2, 4, 10 }, "Conv1d(inChannels: 3) expected input [N, 3, L] but got [2, 4, 10]")]
    [InlineData(1, new[] { 2, 3, 10, 1 }, "Conv1d(inChannels: 3) expected input [N, 3, L] but got [2, 3, 10, 1]")]
    [InlineData(3, new[] { 1, 3, 4, 4 }, "Conv3d(inChannels: 3) expected input [N, 3, D, H, W] but got [1, 3, 4, 4]")]
    [InlineData(2, new[] { 1, 3, 0, 5 }, "Conv2d(inChannels: 3) expected input [N, 3, H, W] with positive spatial sizes but got [1, 3, 0, 5]")]
    public void Convolution_input_must_have_the_layout_and_channels(int dims, int[] shape, string message)
    {
        ConvNd layer = dims switch { 1 => new Conv1d(3, 2, 1, random: Random), 2 => new Conv2d(3, 2, 1, random: Random), _ => new Conv3d(3, 2, 1, random: Random) };
        AssertMessage(() => layer.Forward(new Tensor(new Shape(shape))), message);
        AssertMessage(() => layer.OutputShape(new Shape(shape)), message);
    }

    [Theory]
    [InlineData(2, new[] { 8, 2, 5, 5 }, "ConvTranspose2d(inChannels: 3) expected input [N, 3, H, W] but got [8, 2, 5, 5]")]
    [InlineData(1, new[] { 3, 5 }, "ConvTranspose1d(inChannels: 3) expected input [N, 3, L] but got [3, 5]")]
    [InlineData(3, new[] { 1, 4, 2, 2, 2 }, "ConvTranspose3d(inChannels: 3) expected input [N, 3, D, H, W] but got [1, 4, 2, 2, 2]")]
    public void Transposed_input_must_have_the_layout_and_channels(int dims, int[] shape, string message)
    {
        ConvTransposeNd layer = dims switch
        {
            1 => new ConvTranspose1d(3, 2, 2, random: Random),
            2 => new ConvTranspose2d(3, 2, 2, random: Random),
            _ => new ConvTranspose3d(3, 2, 2, random: Random),
        };
        AssertMessage(() => layer.Forward(new Tensor(new Shape(shape))), message);
    }

    [Fact]
    public void Kernel_larger_than_the_padded_input_is_refused()
    {
        var layer = new Conv2d(1, 1, (3, 5), padding: (0, 1), random: Random);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(1, 1, 6, 2)));
        Assert.Contains("Conv2d: kernel extent 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("padded input 4 (input 2 + padding 1 + 1) in spatial dimension 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transposed_output_that_would_be_empty_is_refused()
    {
        var layer = new ConvTranspose1d(1, 1, 1, padding: 2, random: Random);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(1, 1, 1)));
        Assert.Contains("ConvTranspose1d: output size -3 in spatial dimension 0 is not positive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_after_an_evaluation_forward_gives_the_training_gradients()
    {
        var input = Tensor.RandomNormal(new Shape(2, 2, 5, 5), 3);
        var gradOutput = Tensor.RandomNormal(new Shape(2, 3, 3, 3), 4);
        var trained = new Conv2d(2, 3, 3, random: new RandomSource(5));
        var frozen = new Conv2d(2, 3, 3, random: new RandomSource(5));
        frozen.Eval();
        trained.Forward(input);
        frozen.Forward(input);
        TensorAssert.Identical(trained.Backward(gradOutput).Data, frozen.Backward(gradOutput).Data, "gradInput");
        TensorAssert.Identical(trained.Weight.Grad.Data, frozen.Weight.Grad.Data, "gradWeight");
    }

    [Fact]
    public void Backward_needs_a_forward_and_a_gradient_of_the_output_shape()
    {
        var layer = new Conv2d(2, 3, 3, random: Random);
        AssertState(() => layer.Backward(Tensor.Zeros(1, 3, 2, 2)), "Conv2d.Backward needs a preceding Forward");
        layer.Forward(Tensor.Zeros(1, 2, 5, 5));
        AssertMessage(() => layer.Backward(Tensor.Zeros(1, 3, 2, 2)), "Conv2d.Backward expected gradOutput [1, 3, 3, 3] but got [1, 3, 2, 2]");

        var transposed = new ConvTranspose2d(2, 3, 3, stride: 2, random: Random);
        AssertState(() => transposed.Backward(Tensor.Zeros(1, 3, 7, 7)), "ConvTranspose2d.Backward needs a preceding Forward");
        transposed.Forward(Tensor.Zeros(1, 2, 3, 3));
        AssertMessage(() => transposed.Backward(Tensor.Zeros(1, 3, 6, 6)), "ConvTranspose2d.Backward expected gradOutput [1, 3, 7, 7] but got [1, 3, 6, 6]");
    }

    [Fact]
    public void ConvolutionMatrix_refuses_a_weight_that_does_not_fit_the_geometry()
    {
        var geometry = ConvGeometry.ForConvolution("Conv2d", 2, 3, 1, 0, 1);
        var ex = Assert.Throws<ArgumentException>(() => Diagnostics.ConvolutionMatrix.Build(geometry, Tensor.Zeros(2, 1, 3, 2), 1, 5, 5));
        Assert.Contains("weight [2, 1, 3, 2] does not match kernel [3, 3]", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Diagnostics.ConvolutionMatrix.Build(geometry, Tensor.Zeros(3, 1, 3, 3), 2, 5, 5));
        Assert.Contains("groups (2) must be positive and divide the 3 output channels", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertMessage(Func<object> action, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => action());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static void AssertState(Func<object> action, string expected)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => action());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
