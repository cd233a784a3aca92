using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

public class AdaptiveAvgPoolTests
{
    public static TheoryData<int, int, int, int> Sizes => new()
    {
        { 7, 7, 3, 3 },    // bins overlap: 7/3 is not an integer
        { 8, 6, 4, 3 },    // exact division
        { 5, 9, 1, 1 },    // global average
        { 3, 2, 5, 4 },    // output larger than input: bins repeat
        { 1, 1, 2, 3 },    // 1×1 input
        { 10, 3, 7, 3 },   // one dimension unchanged
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Output_matches_the_reference_and_backward_is_its_adjoint(int inH, int inW, int outH, int outW)
    {
        var pool = new AdaptiveAvgPool2d((outH, outW));
        var input = Tensor.RandomNormal(new Shape(2, 3, inH, inW), 1);
        Tensor output = pool.Forward(input);
        Assert.Equal(new Shape(2, 3, outH, outW), output.Shape);
        TensorAssert.Close(ReferenceOps.AdaptiveAvgPool2d(input, outH, outW), output.Data, 1e-5, 1e-6, $"{inH}x{inW} -> {outH}x{outW}");
        var gradOutput = Tensor.RandomNormal(output.Shape, 2);
        Tensor gradInput = pool.Backward(gradOutput);
        double left = PoolingCases.Dot(output.Data, gradOutput.Data), right = PoolingCases.Dot(input.Data, gradInput.Data);
        Assert.True(Math.Abs(left - right) <= 1e-4 * (1 + Math.Abs(left)), $"<pool(x), y> {left} but <x, poolT(y)> {right}");
        GradientAssert.Layer(new AdaptiveAvgPool2d((outH, outW)), input);
    }

    [Fact]
    public void Output_size_one_is_the_global_mean_of_each_plane()
    {
        var input = Tensor.FromArray([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60], 1, 2, 2, 3);
        Assert.Equal([3.5f, 35f], new AdaptiveAvgPool2d(1).Forward(input).Data);
    }

    [Fact]
    public void Bins_follow_floor_and_ceil_of_the_scaled_position()
    {
        // 5 → 3: bins [0, 2), [1, 4), [3, 5).
        var input = Tensor.FromArray([1, 2, 3, 4, 5], 1, 1, 1, 5);
        Assert.Equal([1.5f, 3f, 4.5f], new AdaptiveAvgPool2d((1, 3)).Forward(input).Data);
    }
}
