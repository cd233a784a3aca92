using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Pooling;

public class PoolingValidationTests
{
    private static void Refused(Action action, params string[] fragments)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(action);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }
    }

    private static Tensor Input(params int[] shape) => Tensor.Zeros(shape);

    [Fact]
    public void Window_options_must_be_positive_and_padding_non_negative_and_at_most_half_the_kernel()
    {
        Refused(() => _ = new MaxPool2d(0), "MaxPool2d", "kernelSize must be positive but got [0, 0]");
        Refused(() => _ = new MaxPool2d((3, -1)), "kernelSize must be positive but got [3, -1]");
        Refused(() => _ = new MaxPool3d(2, stride: 0), "MaxPool3d", "stride must be positive but got [0, 0, 0]");
        Refused(() => _ = new MaxPool1d(2, dilation: -2), "MaxPool1d", "dilation must be positive but got [-2]");
        Refused(() => _ = new MaxPool2d(3, padding: -1), "padding must be non-negative but got [-1, -1]");
        Refused(() => _ = new MaxPool2d((3, 5), padding: (1, 3)), "padding (3) must be at most half the kernel size (5) in spatial dimension 1");
        Refused(() => _ = new AvgPool1d(0), "AvgPool1d", "kernelSize must be positive but got [0]");
        Refused(() => _ = new AvgPool3d(2, stride: (1, 0, 1)), "AvgPool3d", "stride must be positive but got [1, 0, 1]");
        Refused(() => _ = new AvgPool2d(2, padding: 2), "AvgPool2d", "padding (2) must be at most half the kernel size (2)");
        Refused(() => _ = new LPPool1d(2, -3), "LPPool1d", "kernelSize must be positive but got [-3]");
        Refused(() => _ = new LPPool2d(2, 2, stride: 0), "LPPool2d", "stride must be positive but got [0, 0]");
        Refused(() => _ = new MaxPool2d(default(SpatialSize)), "kernelSize is required");
        Refused(() => _ = new MaxPool2d((2, 2, 2)), "kernelSize needs 1 or 2 values but got 3");
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-1.0, "-1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Norm_type_must_be_finite_and_positive(double normType, string shown)
    {
        Refused(() => _ = new LPPool2d(normType, 2), $"LPPool2d: normType must be finite and positive but got {shown}");
        Refused(() => _ = new LPPool1d(normType, 2), "LPPool1d: normType must be finite and positive");
    }

    [Fact]
    public void Input_must_have_the_layer_rank_and_positive_sizes()
    {
        Refused(() => new MaxPool2d(2).Forward(Input(1, 4, 4)), "MaxPool2d: expected input [N, C, H, W] but got [1, 4, 4]");
        Refused(() => new AvgPool1d(2).Forward(Input(1, 1, 2, 4)), "AvgPool1d: expected input [N, C, L] but got [1, 1, 2, 4]");
        Refused(() => new LPPool2d(2, 2).Forward(Input(1, 1, 2, 2, 2)), "LPPool2d: expected input [N, C, H, W] but got [1, 1, 2, 2, 2]");
        Refused(() => new MaxPool3d(1).OutputShape(new Shape(2, 1, 0, 3, 3)), "MaxPool3d: expected input [N, C, D, H, W] with positive channel and spatial sizes but got [2, 1, 0, 3, 3]");
        Refused(() => new AdaptiveAvgPool2d(2).Forward(Input(1, 4, 4)), "AdaptiveAvgPool2d: expected input [N, C, H, W] but got [1, 4, 4]");
    }

    [Fact]
    public void Kernel_larger_than_the_padded_input_is_refused()
    {
        Refused(() => new MaxPool2d(5, padding: 1).Forward(Input(1, 1, 9, 2)), "kernel extent 5", "padded input 4 (input 2 + padding 1 + 1) in spatial dimension 1");
        Refused(() => new AvgPool1d(4).OutputShape(new Shape(1, 1, 3)), "AvgPool1d", "kernel extent 4", "padded input 3");
        Refused(() => new MaxPool1d(3, dilation: 2).Forward(Input(1, 1, 4)), "kernel extent 5 (dilation 2 · (kernel 3 − 1) + 1) is larger than the padded input 4");
        Refused(() => new LPPool2d(1.5, (2, 4)).Forward(Input(1, 1, 5, 3)), "LPPool2d", "kernel extent 4", "padded input 3");
    }

    [Fact]
    public void Dilated_window_that_covers_only_padding_is_refused()
    {
        // Input 2, kernel 2, dilation 3, padding 1: the only window's taps are at −1 and 2, both outside.
        Refused(() => new MaxPool1d(2, padding: 1, dilation: 3).Forward(Input(1, 1, 2)), "MaxPool1d: window 0 in spatial dimension 0 covers only padding", "input has 2 positions");
    }

    [Fact]
    public void Unpool_indices_must_match_the_input_shape_and_lie_in_the_output_plane()
    {
        var unpool = new MaxUnpool2d(2);
        var input = Tensor.Zeros(1, 2, 2, 2);
        Refused(() => unpool.Forward(input, new IndexTensor(new Shape(1, 2, 2, 3))), "MaxUnpool2d: indices shape [1, 2, 2, 3] must equal the input shape [1, 2, 2, 2]");
        var indices = new IndexTensor(new Shape(1, 2, 2, 2));
        indices.Data[7] = 16;
        Refused(() => unpool.Forward(input, indices), "index 16 at position [0, 1, 1, 1] is outside the output plane: it must be in [0, 16) for output [1, 2, 4, 4]");
        indices.Data[7] = 0;
        indices.Data[2] = -1;
        Refused(() => unpool.Forward(input, indices), "index -1 at position [0, 0, 1, 0]");
        indices.Data[2] = 0;
        indices.Data[5] = 12;
        Assert.Equal(new Shape(1, 2, 4, 4), unpool.Forward(input, indices).Shape);
        Refused(() => unpool.Forward(input, indices, [3, 3]), "index 12 at position [0, 1, 0, 1]", "must be in [0, 9) for output [1, 2, 3, 3]");
    }

    [Fact]
    public void Unpool_output_size_must_be_within_one_stride_of_the_default()
    {
        var unpool = new MaxUnpool2d(2);
        var input = Tensor.Zeros(1, 1, 2, 3);
        var indices = new IndexTensor(input.Shape);
        // Default [4, 6] with stride 2: each size must be strictly between default − 2 and default + 2.
        Assert.Equal(new Shape(1, 1, 5, 7), unpool.OutputShape(input.Shape, [5, 7]));
        Refused(() => unpool.Forward(input, indices, [4, 8]), "output size [4, 8] must be within one stride of the default [4, 6]", "in spatial dimension 1, 8 is not strictly between 4 and 8 (stride 2)");
        Refused(() => unpool.Forward(input, indices, [1, 1, 2, 6]), "in spatial dimension 0, 2 is not strictly between 2 and 6");
        Refused(() => unpool.Forward(input, indices, [4, 6, 1]), "outputSize must have 2 or 4 elements but got [4, 6, 1]");
    }

    [Fact]
    public void Unpool_options_and_input_rank_are_checked()
    {
        Refused(() => _ = new MaxUnpool1d(0), "MaxUnpool1d", "kernelSize must be positive but got [0]");
        Refused(() => _ = new MaxUnpool3d(2, stride: (2, 0, 2)), "MaxUnpool3d", "stride must be positive but got [2, 0, 2]");
        Refused(() => _ = new MaxUnpool2d(2, padding: -1), "MaxUnpool2d", "padding must be non-negative but got [-1, -1]");
        Refused(() => new MaxUnpool3d(2).Forward(Tensor.Zeros(1, 2, 2, 2), new IndexTensor(new Shape(1, 2, 2, 2))), "MaxUnpool3d: expected input [N, C, D, H, W] but got [1, 2, 2, 2]");
    }

    [Fact]
    public void Unpool_backward_needs_a_forward_and_the_output_shape()
    {
        var unpool = new MaxUnpool1d(2);
        Assert.Throws<InvalidOperationException>(() => unpool.Backward(Tensor.Zeros(1, 1, 4)));
        unpool.Forward(Tensor.Zeros(1, 1, 2), new IndexTensor(new Shape(1, 1, 2)));
        Refused(() => unpool.Backward(Tensor.Zeros(1, 1, 5)), "MaxUnpool1d: Backward expected gradOutput [1, 1, 4] but got [1, 1, 5]");
    }

    [Fact]
    public void Adaptive_output_size_is_required_and_positive()
    {
        Refused(() => _ = new AdaptiveAvgPool2d((0, 3)), "AdaptiveAvgPool2d: outputSize must be positive but got [0, 3]");
        Refused(() => _ = new AdaptiveAvgPool2d(default(SpatialSize)), "AdaptiveAvgPool2d: outputSize is required");
        Refused(() => _ = new AdaptiveAvgPool2d((1, 2, 3)), "outputSize needs 1 or 2 values but got 3");
        var pool = new AdaptiveAvgPool2d(2);
        Assert.Throws<InvalidOperationException>(() => pool.Backward(Tensor.Zeros(1, 1, 2, 2)));
        pool.Forward(Tensor.Zeros(1, 1, 5, 5));
        Refused(() => pool.Backward(Tensor.Zeros(1, 1, 5, 5)), "expected gradOutput [1, 1, 2, 2] but got [1, 1, 5, 5]");
    }
}
