using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

/// <summary>
/// The unrolled 2×2 stride-2 max pooling and the plane-parallel pooling layers against the
/// float64 reference twins: values, switches (ties, NaN, −∞ included) and gradients, on odd
/// sizes, ceil mode and batches large enough to be split over threads.
/// </summary>
public class PoolingFastPathTests
{
    public static TheoryData<int, int, int, int, bool> Shapes() => new()
    {
        { 1, 1, 2, 2, false },
        { 2, 3, 7, 5, false },
        { 2, 3, 7, 5, true },
        { 1, 17, 28, 28, false },
        { 3, 40, 30, 29, false },
        { 4, 32, 28, 28, false },
        { 2, 5, 14, 14, false },
        { 1, 3, 9, 9, false },
        { 1, 2, 12, 13, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Max_pool_2x2_matches_reference_with_ties_and_specials(int n, int c, int h, int w, bool ceilMode)
    {
        Tensor input = TiedInput(new Shape(n, c, h, w), seed: (ulong)(n * 1000 + c * 10 + h));
        var spec = new PoolSpec([2, 2], [2, 2], [0, 0], [1, 1], ceilMode);
        var (expected, expectedIndices, expectedShape) = ReferenceOps.MaxPool(input, spec);
        var layer = new MaxPool2d(2, ceilMode: ceilMode);
        var (output, indices) = layer.ForwardWithIndices(input);
        string context = $"input {input.Shape}, ceil {ceilMode}";
        Assert.True(output.Shape == new Shape(expectedShape), $"{context}: shape {output.Shape}");
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = double.IsNaN(expected[i]) ? float.IsNaN(output.Data[i]) : expected[i] == output.Data[i];
            Assert.True(same, $"{context}: element {i} is {output.Data[i]} but expected {expected[i]}");
        }
        Assert.True(expectedIndices.SequenceEqual(indices.Data), $"{context}: switches differ from the reference");

        Tensor gradOutput = Tensor.RandomNormal(output.Shape, 5);
        Tensor gradInput = layer.Backward(gradOutput);
        TensorAssert.Close(ScatterByPlane(gradOutput, expectedIndices, input.Shape), gradInput.Data, 0, 0, $"{context}: gradInput");
    }

    [Fact]
    public void The_fast_path_takes_only_whole_2x2_stride_2_windows()
    {
        Assert.True(PoolingMax2x2.Applies(new Window3(1, 7, 5, 1, 3, 2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 1, 1, 1)));
        Assert.False(PoolingMax2x2.Applies(new Window3(1, 7, 5, 1, 4, 3, 1, 2, 2, 1, 2, 2, 0, 0, 0, 1, 1, 1)), "ceil mode's partial last window");
        Assert.False(PoolingMax2x2.Applies(new Window3(1, 8, 8, 1, 4, 4, 1, 2, 2, 1, 2, 2, 0, 1, 0, 1, 1, 1)), "padding");
        Assert.False(PoolingMax2x2.Applies(new Window3(1, 8, 8, 1, 7, 7, 1, 2, 2, 1, 1, 1, 0, 0, 0, 1, 1, 1)), "stride 1");
        Assert.False(PoolingMax2x2.Applies(new Window3(4, 8, 8, 2, 4, 4, 2, 2, 2, 2, 2, 2, 0, 0, 0, 1, 1, 1)), "3-d");
    }

    [Theory]
    [InlineData(4, 32, 28, 28, true)]
    [InlineData(3, 40, 30, 29, false)]
    public void Average_pool_split_over_threads_matches_reference(int n, int c, int h, int w, bool countIncludePad)
    {
        Tensor input = Tensor.RandomNormal(new Shape(n, c, h, w), 21);
        var spec = new PoolSpec([3, 2], [2, 2], [1, 0], [1, 1], false);
        var (expected, expectedShape) = ReferenceOps.AvgPool(input, spec, countIncludePad);
        var layer = new AvgPool2d((3, 2), stride: 2, padding: (1, 0), countIncludePad: countIncludePad);
        Tensor output = layer.Forward(input);
        Assert.True(output.Shape == new Shape(expectedShape), $"shape {output.Shape}");
        TensorAssert.Close(expected, output.Data, 1e-5, 1e-6, $"input {input.Shape}: forward");

        // Backward is the adjoint of forward: ⟨avg(x), g⟩ = ⟨x, avgᵀ(g)⟩, with avg taken from the reference.
        Tensor gradOutput = Tensor.RandomNormal(output.Shape, 22);
        Tensor gradInput = layer.Backward(gradOutput);
        double left = expected.Select((value, i) => value * gradOutput.Data[i]).Sum();
        double right = input.Data.Select((value, i) => (double)value * gradInput.Data[i]).Sum();
        Assert.True(Math.Abs(left - right) <= 1e-4 * (1 + Math.Abs(left)), $"⟨avg(x), g⟩ = {left} but ⟨x, avgᵀ(g)⟩ = {right}");
    }

    /// <summary>Values on a coarse grid (many ties) with a NaN and a −∞ planted in some planes.</summary>
    private static Tensor TiedInput(Shape shape, ulong seed)
    {
        Tensor input = Tensor.RandomNormal(shape, seed);
        Span<float> data = input.Span;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = MathF.Round(data[i] * 2) / 2;
        }
        int plane = shape[2] * shape[3];
        for (int p = 0; p < shape[0] * shape[1]; p += 3)
        {
            data[p * plane + (p * 7) % plane] = p % 2 == 0 ? float.NaN : float.NegativeInfinity;
        }
        return input;
    }

    /// <summary>Adds each output gradient at its recorded in-plane switch: the definition of max pooling's gradient.</summary>
    private static double[] ScatterByPlane(Tensor gradOutput, int[] indices, Shape inputShape)
    {
        var gradInput = new double[inputShape.Size];
        int outPlane = gradOutput.Shape.SizeFrom(2), inPlane = inputShape.SizeFrom(2);
        for (int o = 0; o < indices.Length; o++)
        {
            gradInput[o / outPlane * inPlane + indices[o]] += gradOutput.Data[o];
        }
        return gradInput;
    }
}
