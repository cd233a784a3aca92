using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

public class AvgPoolTests
{
    public static IEnumerable<(string Name, Shape Input, PoolSpec Spec)> Cases() =>
        PoolingCases.Random(seed: 31, count: 60, maxDims: 3, dilation: false, padding: true)
            .Select((c, i) => ($"random {i}", c.Input, c.Spec))
            .Concat(PoolingCases.Edge.Where(c => c.Spec.Dilation.All(d => d == 1)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Output_matches_the_reference_on_random_shapes_and_edge_cases(bool countIncludePad)
    {
        int seed = 0;
        foreach (var (name, shape, spec) in Cases())
        {
            var input = Tensor.RandomNormal(shape, (ulong)seed++);
            var (expected, expectedShape) = ReferenceOps.AvgPool(input, spec, countIncludePad);
            Tensor output = PoolingCases.AvgPool(spec, countIncludePad).Forward(input);
            string context = $"{name}: input {shape}, {spec}, countIncludePad {countIncludePad}";
            Assert.True(output.Shape == new Shape(expectedShape), $"{context}: shape {output.Shape} but expected {Shape.Format(expectedShape)}");
            TensorAssert.Close(expected, output.Data, 1e-5, 1e-6, context);
        }
    }

    [Fact]
    public void Ceil_mode_window_past_the_padding_is_divided_by_its_clipped_size()
    {
        // in 4, kernel 3, stride 2, padding 1, ceil: windows start at −1, 1 and 3; the last
        // reaches [3, 6) but the padded input ends at 5, so with padding counted it is divided by 2.
        var input = Tensor.FromArray([1, 2, 3, 4], 1, 1, 4);
        Assert.Equal([3f / 3, 9f / 3, 4f / 2], new AvgPool1d(3, 2, 1, ceilMode: true).Forward(input).Data);
        Assert.Equal([3f / 2, 9f / 3, 4f / 1], new AvgPool1d(3, 2, 1, ceilMode: true, countIncludePad: false).Forward(input).Data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Backward_is_the_adjoint_of_forward(bool countIncludePad)
    {
        // <pool(x), y> = <x, poolᵀ(y)> for every x and y, since pooling is linear.
        foreach (var (_, shape, spec) in Cases().Take(40))
        {
            var pool = PoolingCases.AvgPool(spec, countIncludePad);
            var input = Tensor.RandomNormal(shape, 1);
            Tensor output = pool.Forward(input);
            var gradOutput = Tensor.RandomNormal(output.Shape, 2);
            Tensor gradInput = pool.Backward(gradOutput);
            double left = PoolingCases.Dot(output.Data, gradOutput.Data), right = PoolingCases.Dot(input.Data, gradInput.Data);
            Assert.True(Math.Abs(left - right) <= 1e-4 * (1 + Math.Abs(left)), $"{shape}, {spec}: <pool(x), y> {left} but <x, poolT(y)> {right}");
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Gradients_pass_the_finite_difference_check(int dims, bool countIncludePad)
    {
        var cases = Cases().Where(c => c.Spec.Dims == dims).Take(3).ToList();
        Assert.NotEmpty(cases);
        foreach (var (_, shape, spec) in cases)
        {
            GradientAssert.Layer(PoolingCases.AvgPool(spec, countIncludePad), Tensor.RandomNormal(shape, 4));
        }
    }

    [Fact]
    public void Backward_needs_a_training_mode_forward_and_the_output_shape()
    {
        var pool = new AvgPool3d(2);
        Assert.Throws<InvalidOperationException>(() => pool.Backward(Tensor.Zeros(1, 1, 1, 1, 1)));
        pool.Forward(Tensor.Zeros(1, 1, 2, 2, 2));
        var ex = Assert.Throws<ArgumentException>(() => pool.Backward(Tensor.Zeros(1, 1, 2, 2, 2)));
        Assert.Contains("expected gradOutput [1, 1, 1, 1, 1] but got [1, 1, 2, 2, 2]", ex.Message, StringComparison.Ordinal);
    }
}
