using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

public class LPPoolTests
{
    public static IEnumerable<(string Name, Shape Input, PoolSpec Spec)> Cases() =>
        PoolingCases.Random(seed: 41, count: 40, maxDims: 2, dilation: false, padding: false)
            .Select((c, i) => ($"random {i}", c.Input, c.Spec))
            .Concat(PoolingCases.Edge.Where(c => c.Spec.Dims <= 2 && c.Spec.Padding.All(p => p == 0) && c.Spec.Dilation.All(d => d == 1)));

    /// <summary>Mixed signs where every power and root is real (p = 1, 2), positive inputs otherwise.</summary>
    private static Tensor Input(Shape shape, double p, ulong seed) => p is 1 or 2
        ? Tensor.RandomNormal(shape, seed)
        : Tensor.RandomUniform(shape, seed, 0.2f, 2f);

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(1.5)]
    public void Output_matches_the_reference_on_random_shapes_and_edge_cases(double p)
    {
        ulong seed = 0;
        foreach (var (name, shape, spec) in Cases())
        {
            var input = Input(shape, p, seed++);
            var (expected, expectedShape) = ReferenceOps.LPPool(input, p, spec);
            Tensor output = PoolingCases.LPPool(p, spec).Forward(input);
            string context = $"{name}: p {p}, input {shape}, {spec}";
            Assert.True(output.Shape == new Shape(expectedShape), $"{context}: shape {output.Shape} but expected {Shape.Format(expectedShape)}");
            TensorAssert.Close(expected, output.Data, 1e-4, 1e-5, context);
        }
    }

    [Fact]
    public void Norm_of_a_full_window_is_the_p_norm()
    {
        var input = Tensor.FromArray([3, -4, 1, 2], 1, 1, 4);
        Assert.Equal([5f, MathF.Sqrt(5)], new LPPool1d(2, 2).Forward(input).Data);
        Assert.Equal([-1f, 3f], new LPPool1d(1, 2).Forward(input).Data);
    }

    [Fact]
    public void Ceil_mode_rescales_a_clipped_window_by_kernel_volume_over_its_size_as_PyTorch_does()
    {
        // p = 1, kernel 2, stride 2 on [1, 2, 3]: the ceil-mode window holds only 3; PyTorch
        // averages it over 1 element and multiplies by the kernel volume 2, giving 6, not 3.
        var input = Tensor.FromArray([1, 2, 3], 1, 1, 3);
        Assert.Equal([3f, 6f], new LPPool1d(1, 2, ceilMode: true).Forward(input).Data);
        var square = Tensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 1], 1, 1, 3, 3);
        // 2-d, p = 2: the corner window holds 1 of 4 elements: sqrt(4/1 · 1) = 2.
        Assert.Equal([2f, 2f, 2f, 2f], new LPPool2d(2, 2, ceilMode: true).Forward(square).Data);
    }

    [Fact]
    public void Negative_sum_with_a_non_integer_root_is_NaN_as_in_PyTorch()
    {
        var input = Tensor.FromArray([-2, 1, 1, 1], 1, 1, 4);
        Tensor output = new LPPool1d(3, 2).Forward(input);
        Assert.True(float.IsNaN(output.Data[0]), $"(−8 + 1)^(1/3) gave {output.Data[0]}");
        Assert.Equal(MathF.Cbrt(2), output.Data[1], 5);
    }

    [Fact]
    public void Zero_window_sum_has_zero_gradient_as_in_PyTorch()
    {
        var pool = new LPPool2d(2, 2);
        var input = Tensor.FromArray([0, 0, 0, 0, 1, 2, 2, 4], 1, 2, 2, 2);
        Assert.Equal([0f, 5f], pool.Forward(input).Data);
        Tensor gradInput = pool.Backward(Tensor.FromArray([1, 1], 1, 2, 1, 1));
        // Second window: d‖x‖/dx = x/‖x‖.
        Assert.Equal([0f, 0f, 0f, 0f, 0.2f, 0.4f, 0.4f, 0.8f], gradInput.Data);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(1.5)]
    public void Gradients_pass_the_finite_difference_check(double p)
    {
        var cases = Cases().Where(c => c.Input.Size <= 400).Take(6).Append(("ceil", new Shape(1, 2, 5, 7), new PoolSpec([2, 3], [2, 2], [0, 0], [1, 1], true))).ToList();
        foreach (var (name, shape, spec) in cases)
        {
            // Inputs in [0.5, 1.5] keep sums and powers away from the kinks at zero.
            var pool = PoolingCases.LPPool(p, spec);
            GradientAssert.Layer(pool, Tensor.RandomUniform(shape, 8, 0.5f, 1.5f));
        }
    }
}
