using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

public class MaxPoolTests
{
    [Fact]
    public void Output_and_switches_match_the_reference_on_random_shapes_and_edge_cases()
    {
        var cases = PoolingCases.Random(seed: 11, count: 80, maxDims: 3, dilation: true, padding: true)
            .Select((c, i) => ($"random {i}", c.Input, c.Spec))
            .Concat(PoolingCases.Edge);
        int compared = 0;
        foreach (var (name, shape, spec) in cases)
        {
            var input = Tensor.RandomNormal(shape, (ulong)compared + 100);
            var (expected, expectedIndices, expectedShape) = ReferenceOps.MaxPool(input, spec);
            string context = $"{name}: input {shape}, {spec}";
            if (expectedIndices.Contains(-1))
            {
                // A dilated window that only touches padding is refused rather than answered with −∞.
                var ex = Assert.Throws<ArgumentException>(() => PoolingCases.MaxPool(spec).Forward(input));
                Assert.Contains("covers only padding", ex.Message, StringComparison.Ordinal);
                continue;
            }
            var (output, indices) = PoolingCases.MaxPool(spec).ForwardWithIndices(input);
            Assert.True(output.Shape == new Shape(expectedShape), $"{context}: shape {output.Shape} but expected {Shape.Format(expectedShape)}");
            TensorAssert.Close(expected, output.Data, 0, 0, context);
            Assert.True(expectedIndices.SequenceEqual(indices.Data), $"{context}: switches differ from the reference");
            compared++;
        }
        Assert.True(compared >= 70, $"only {compared} cases were compared");
    }

    [Fact]
    public void Ties_go_to_the_first_maximum_in_scan_order()
    {
        var input = Tensor.FromArray([1, 5, 5, 0, /* second window: all equal */ 2, 2, 2, 2], 1, 2, 2, 2);
        var (output, indices) = new MaxPool2d(2).ForwardWithIndices(input);
        Assert.Equal([5f, 2f], output.Data);
        Assert.Equal([1, 0], indices.Data);
    }

    [Fact]
    public void A_NaN_in_the_window_wins_and_padding_never_does()
    {
        var input = Tensor.FromArray([1, float.NaN, 7, 3, -5, -6], 1, 1, 6);
        var (output, indices) = new MaxPool1d(3, padding: 1, ceilMode: true).ForwardWithIndices(input);
        // Windows [pad, 1, NaN], [7, 3, −5] and, in ceil mode, [−6, pad, pad]: the NaN wins the first, −6 beats the padding.
        Assert.True(float.IsNaN(output.Data[0]));
        Assert.Equal([7f, -6f], output.Data[1..]);
        Assert.Equal([1, 2, 5], indices.Data);
    }

    [Fact]
    public void Backward_routes_each_gradient_to_its_argmax_and_adds_where_windows_overlap()
    {
        var input = Tensor.FromArray([1, 3, 2, 0], 1, 1, 4);
        var pool = new MaxPool1d(2, stride: 1);
        pool.Forward(input);
        Tensor gradInput = pool.Backward(Tensor.FromArray([1, 10, 100], 1, 1, 3));
        // Windows [1, 3], [3, 2], [2, 0] pick positions 1, 1, 2.
        Assert.Equal([0f, 11f, 100f, 0f], gradInput.Data);
    }

    [Fact]
    public void Backward_matches_scattering_the_gradient_to_the_reference_switches()
    {
        foreach (var (shape, spec) in PoolingCases.Random(seed: 12, count: 30, maxDims: 3, dilation: false, padding: true))
        {
            var input = PoolingCases.Distinct(shape, 5);
            var pool = PoolingCases.MaxPool(spec);
            Tensor output = pool.Forward(input);
            var gradOutput = Tensor.RandomNormal(output.Shape, 6);
            Tensor gradInput = pool.Backward(gradOutput);
            var (_, switches, _) = ReferenceOps.MaxPool(input, spec);
            int planes = shape[0] * shape[1], inPlane = shape.SizeFrom(2), outPlane = output.Shape.SizeFrom(2);
            var expected = new double[input.Size];
            for (int o = 0; o < output.Size; o++)
            {
                expected[o / outPlane * inPlane + switches[o]] += gradOutput.Data[o];
            }
            TensorAssert.Close(expected, gradInput.Data, 1e-6, 1e-6, $"gradInput for {shape}, {spec} ({planes} planes)");
        }
    }

    [Fact]
    public void Indices_property_holds_the_switches_of_the_last_forward()
    {
        var pool = new MaxPool2d(2);
        Assert.Null(pool.Indices);
        var (_, indices) = pool.ForwardWithIndices(Tensor.FromArray([0, 1, 2, 3], 1, 1, 2, 2));
        Assert.Same(indices, pool.Indices);
        Assert.Equal([3], pool.Indices!.Data);
        pool.Forward(Tensor.FromArray([4, 1, 2, 3], 1, 1, 2, 2));
        Assert.Equal([0], pool.Indices!.Data);
    }

    [Fact]
    public void Unpooling_the_pooled_values_puts_each_max_back_in_place_and_zeros_elsewhere()
    {
        foreach (var (shape, spec) in PoolingCases.Random(seed: 13, count: 30, maxDims: 3, dilation: false, padding: true))
        {
            var input = PoolingCases.Distinct(shape, 7);
            var (pooled, indices) = PoolingCases.MaxPool(spec).ForwardWithIndices(input);
            Tensor restored = PoolingCases.MaxUnpool(spec).Forward(pooled, indices, shape.ToArray());
            Assert.Equal(shape, restored.Shape);
            int inPlane = shape.SizeFrom(2), outPlane = pooled.Shape.SizeFrom(2);
            var isMax = new bool[input.Size];
            for (int o = 0; o < pooled.Size; o++)
            {
                isMax[o / outPlane * inPlane + indices.Data[o]] = true;
            }
            for (int i = 0; i < input.Size; i++)
            {
                Assert.True(restored.Data[i] == (isMax[i] ? input.Data[i] : 0f), $"{shape}, {spec}: element {i} is {restored.Data[i]}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradients_pass_the_finite_difference_check(int dims)
    {
        var cases = PoolingCases.Random(seed: 20, count: 40, maxDims: 3, dilation: true, padding: true)
            .Where(c => c.Spec.Dims == dims && !ReferenceOps.MaxPool(Tensor.Zeros(c.Input.ToArray()), c.Spec).Indices.Contains(-1))
            .Take(3)
            .ToList();
        Assert.NotEmpty(cases);
        foreach (var (shape, spec) in cases)
        {
            // Values at least 0.05 apart keep the ±0.01 perturbation from changing any argmax.
            GradientAssert.Layer(PoolingCases.MaxPool(spec), PoolingCases.Distinct(shape, 9));
        }
    }

    [Fact]
    public void Backward_needs_a_forward_in_either_mode_and_the_output_shape()
    {
        var pool = new MaxPool2d(2);
        Assert.Throws<InvalidOperationException>(() => pool.Backward(Tensor.Zeros(1, 1, 1, 1)));
        pool.Eval();
        pool.Forward(Tensor.FromArray([1f, 4f, 3f, 2f], 1, 1, 2, 2));
        Assert.Equal([0f, 5f, 0f, 0f], pool.Backward(Tensor.FromArray([5f], 1, 1, 1, 1)).Data);
        pool.Train();
        pool.Forward(Tensor.Zeros(1, 1, 2, 2));
        var ex = Assert.Throws<ArgumentException>(() => pool.Backward(Tensor.Zeros(1, 1, 2, 2)));
        Assert.Contains("expected gradOutput [1, 1, 1, 1] but got [1, 1, 2, 2]", ex.Message, StringComparison.Ordinal);
    }
}
