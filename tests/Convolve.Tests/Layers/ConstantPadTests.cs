using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

/// <summary>ConstantPad: the values land where the padding says, the gradient is the crop, bad sizes are refused.</summary>
public class ConstantPadTests
{
    [Fact]
    public void A_two_d_pad_puts_the_input_at_its_offset_and_the_value_around_it()
    {
        var pad = new ConstantPad([1, 0], [0, 2], -5f);
        var input = Tensor.FromArray([1, 2, 3, 4, 5, 6], 1, 1, 2, 3);
        Tensor output = pad.Forward(input);
        Assert.Equal(new Shape(1, 1, 3, 5), output.Shape);
        Assert.Equal([-5, -5, -5, -5, -5, 1, 2, 3, -5, -5, 4, 5, 6, -5, -5], output.Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradients_match_central_differences(int dims)
    {
        int[] before = [.. Enumerable.Range(0, dims).Select(i => i % 2)], after = [.. Enumerable.Range(0, dims).Select(i => 2 - i % 2)];
        var input = Tensor.RandomNormal(new Shape([2, 3, .. Enumerable.Repeat(3, dims)]), 4);
        GradientAssert.Layer(new ConstantPad(before, after, 0.5f), input);
    }

    [Fact]
    public void Negative_or_mismatched_sizes_are_refused_with_their_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ConstantPad([1, -1], [0, 0]));
        Assert.StartsWith("ConstantPad: padding before [1, -1] and after [0, 0] must give one non-negative size", ex.Message);
        Assert.Throws<ArgumentException>(() => new ConstantPad([1], [0, 0]));
        var wrongRank = Assert.Throws<ArgumentException>(() => new ConstantPad([1, 1], [1, 1]).OutputShape(new Shape(2, 3, 4)));
        Assert.Contains("[2, 3, 4]", wrongRank.Message);
    }
}
