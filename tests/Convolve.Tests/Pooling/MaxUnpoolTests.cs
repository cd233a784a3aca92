using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

public class MaxUnpoolTests
{
    [Fact]
    public void Output_matches_the_reference_with_switches_from_max_pooling()
    {
        foreach (var (shape, spec) in PoolingCases.Random(seed: 51, count: 40, maxDims: 3, dilation: false, padding: true))
        {
            var (pooled, indices) = PoolingCases.MaxPool(spec).ForwardWithIndices(Tensor.RandomNormal(shape, 3));
            int[] spatial = shape.ToArray()[2..];
            double[] expected = ReferenceOps.MaxUnpool(pooled, indices.Data, spatial);
            // The requested size may be given as spatial sizes or as the full shape.
            TensorAssert.Close(expected, PoolingCases.MaxUnpool(spec).Forward(pooled, indices, spatial).Data, 0, 0, $"{shape}, {spec}");
            TensorAssert.Close(expected, PoolingCases.MaxUnpool(spec).Forward(pooled, indices, shape.ToArray()).Data, 0, 0, $"{shape}, {spec}, full size");
        }
    }

    [Theory]
    [InlineData(3, 2, null, 0, 6)]
    [InlineData(3, 3, 2, 1, 5)]
    [InlineData(4, 2, 3, 0, 11)]
    [InlineData(1, 4, null, 2, 0 + 4 - 4)]
    public void Default_output_size_is_in_minus_one_times_stride_minus_twice_padding_plus_kernel(int input, int kernel, int? stride, int padding, int expected)
    {
        var unpool = stride is int s ? new MaxUnpool1d(kernel, s, padding) : new MaxUnpool1d(kernel, padding: padding);
        if (expected <= 0)
        {
            var ex = Assert.Throws<ArgumentException>(() => unpool.OutputShape(new Shape(1, 1, input)));
            Assert.Contains($"output size [{expected}] must be positive", ex.Message, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(new Shape(2, 3, expected), unpool.OutputShape(new Shape(2, 3, input)));
    }

    [Fact]
    public void Later_switch_wins_a_shared_position_and_backward_gathers()
    {
        var unpool = new MaxUnpool1d(2);
        var input = Tensor.FromArray([1, 2, 3], 1, 1, 3);
        Tensor output = unpool.Forward(input, new IndexTensor(new Shape(1, 1, 3), [4, 0, 4]));
        Assert.Equal([2f, 0f, 0f, 0f, 3f, 0f], output.Data);
        Tensor gradInput = unpool.Backward(Tensor.FromArray([10, 20, 30, 40, 50, 60], 1, 1, 6));
        Assert.Equal([50f, 10f, 50f], gradInput.Data);
    }

    [Fact]
    public void Backward_gathers_the_gradient_at_each_switch()
    {
        var random = new RandomSource(2);
        foreach (var (shape, spec) in PoolingCases.Random(seed: 52, count: 20, maxDims: 3, dilation: false, padding: true))
        {
            // Unpool back to the pooling input's size, with arbitrary (possibly repeated) switches.
            Shape pooledShape = PoolingCases.MaxPool(spec).OutputShape(shape);
            int inPlane = pooledShape.SizeFrom(2), outPlane = shape.SizeFrom(2);
            var indices = new IndexTensor(pooledShape, Enumerable.Range(0, pooledShape.Size).Select(_ => random.NextInt(outPlane)).ToArray());
            var unpool = PoolingCases.MaxUnpool(spec);
            unpool.Forward(Tensor.RandomNormal(pooledShape, 1), indices, shape.ToArray());
            var gradOutput = Tensor.RandomNormal(shape, 3);
            Tensor gradInput = unpool.Backward(gradOutput);
            var expected = new double[pooledShape.Size];
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = gradOutput.Data[i / inPlane * outPlane + indices.Data[i]];
            }
            TensorAssert.Close(expected, gradInput.Data, 0, 0, $"{shape}, {spec}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradient_passes_the_finite_difference_check(int dims)
    {
        // Windows that do not overlap give distinct switches, so each input has its own output position.
        var (shape, spec) = PoolingCases.Random(seed: 53, count: 60, maxDims: 3, dilation: false, padding: false)
            .First(c => c.Spec.Dims == dims && c.Spec.Stride.Zip(c.Spec.Kernel).All(sk => sk.First >= sk.Second));
        var unpool = PoolingCases.MaxUnpool(spec);
        var (pooled, indices) = PoolingCases.MaxPool(spec).ForwardWithIndices(PoolingCases.Distinct(shape, 4));
        int[] size = shape.ToArray();
        Tensor output = unpool.Forward(pooled, indices, size);
        var projection = Tensor.RandomNormal(output.Shape, 5);
        Tensor gradInput = unpool.Backward(projection);
        var report = GradientCheck.CheckFunction("input", pooled, gradInput, () => PoolingCases.Dot(unpool.Forward(pooled, indices, size).Data, projection.Data));
        GradientAssert.AssertReport(report, $"{unpool.Name} {shape}, {spec}");
    }
}
