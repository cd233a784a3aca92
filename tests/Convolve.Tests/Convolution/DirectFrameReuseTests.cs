using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>
/// The direct algorithm keeps packed frames from one pass to the next; a buffer refilled between
/// calls (a reused gradient buffer, an input changed before the next forward pass) must be packed
/// again, never read stale. Each case compares with a fresh layer that never kept anything.
/// </summary>
public class DirectFrameReuseTests
{
    [Fact]
    public void A_transposed_convolution_fed_the_same_gradient_buffer_with_new_values_uses_the_new_values()
    {
        var input = Tensor.RandomNormal(new Shape(2, 6, 4, 5), 1);
        var layer = Transposed(2);
        Tensor output = layer.Forward(input);
        var gradOutput = Tensor.RandomNormal(output.Shape, 3);
        layer.Backward(gradOutput);
        Tensor.RandomNormal(output.Shape, 4).Data.CopyTo(gradOutput.Data, 0);
        layer.ZeroGrad();
        layer.Forward(input);
        Tensor gradInput = layer.Backward(gradOutput);

        var fresh = Transposed(2);
        fresh.Forward(input);
        Tensor expected = fresh.Backward(gradOutput);
        TensorAssert.Identical(expected.Data, gradInput.Data, "gradInput");
        TensorAssert.Identical(fresh.Weight.Grad.Data, layer.Weight.Grad.Data, "gradWeight");
    }

    [Fact]
    public void An_input_changed_in_place_before_the_next_forward_pass_is_packed_again()
    {
        var input = Tensor.RandomNormal(new Shape(2, 6, 5, 5), 5);
        var layer = Convolution(6);
        layer.Forward(input);
        Tensor.RandomNormal(input.Shape, 7).Data.CopyTo(input.Data, 0);
        Tensor output = layer.Forward(input);
        var gradOutput = Tensor.RandomNormal(output.Shape, 8);
        layer.Backward(gradOutput);

        var fresh = Convolution(6);
        TensorAssert.Identical(fresh.Forward(input).Data, output.Data, "output");
        fresh.Backward(gradOutput);
        TensorAssert.Identical(fresh.Weight.Grad.Data, layer.Weight.Grad.Data, "gradWeight");
    }

    [Fact]
    public void A_transposed_convolution_passes_a_gradient_check()
    {
        var layer = Transposed(9);
        var input = Tensor.RandomNormal(new Shape(1, 6, 3, 2), 10);
        var report = Convolve.Diagnostics.GradientCheck.CheckLayer(layer, input, seed: 11);
        Assert.NotEmpty(report.Entries);
        Assert.True(!report.Failures(2e-2, 2e-3).Any(), report.Describe(2e-2, 2e-3));
    }

    private static ConvTranspose2d Transposed(ulong seed) =>
        new(6, 4, 3, stride: 2, padding: 1, random: new RandomSource(seed)) { Algorithm = ConvolutionAlgorithm.Direct };

    private static Conv2d Convolution(ulong seed) =>
        new(6, 5, 3, padding: 1, random: new RandomSource(seed)) { Algorithm = ConvolutionAlgorithm.Direct };
}
