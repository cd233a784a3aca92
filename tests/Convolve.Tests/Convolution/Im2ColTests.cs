using Convolve.Kernels;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

public class Im2ColTests
{
    private const int WindowCount = 400;

    [Fact]
    public void Im2Col_writes_every_element_as_the_reference_does()
    {
        for (ulong seed = 1; seed <= WindowCount; seed++)
        {
            var (window, channels) = RandomWindow(seed);
            float[] image = Tensor.RandomNormal(new Shape(channels * window.InputPlane), seed).Data;
            var columns = new float[channels * window.KernelVolume * window.OutputPlane];
            columns.AsSpan().Fill(float.NaN);
            Im2Col.Run(image, channels, window, columns);
            TensorAssert.Close(ReferenceOps.Im2Col(image, channels, window), columns, 0, 0, $"{window}, {channels} channels");
        }
    }

    [Fact]
    public void Col2ImAdd_is_the_adjoint_of_Im2Col()
    {
        for (ulong seed = 1; seed <= WindowCount; seed++)
        {
            var (window, channels) = RandomWindow(seed);
            float[] x = Tensor.RandomNormal(new Shape(channels * window.InputPlane), seed).Data;
            float[] y = Tensor.RandomNormal(new Shape(channels * window.KernelVolume * window.OutputPlane), seed + 7919).Data;
            var lowered = new float[y.Length];
            var raised = new float[x.Length];
            Im2Col.Run(x, channels, window, lowered);
            Col2ImAdd.Run(y, channels, window, raised);
            double left = Dot(lowered, y), right = Dot(x, raised);
            Assert.True(Math.Abs(left - right) <= 1e-5 * (1 + Math.Abs(left)), $"{window}, {channels} channels: ⟨im2col(x), y⟩ = {left} but ⟨x, col2im(y)⟩ = {right}");
        }
    }

    [Fact]
    public void Col2ImAdd_adds_to_what_the_image_holds()
    {
        var window = new Window3(1, 5, 6, 1, 3, 3, 1, 3, 2, 1, 2, 2, 0, 1, 0, 1, 1, 1);
        float[] columns = Tensor.RandomNormal(new Shape(2 * window.KernelVolume * window.OutputPlane), 3).Data;
        float[] start = Tensor.RandomNormal(new Shape(2 * window.InputPlane), 4).Data;
        var fromZero = new float[start.Length];
        float[] accumulated = (float[])start.Clone();
        Col2ImAdd.Run(columns, 2, window, fromZero);
        Col2ImAdd.Run(columns, 2, window, accumulated);
        TensorAssert.Close(start.Select((s, i) => (double)s + fromZero[i]).ToArray(), accumulated, 1e-6, 1e-6, "image + col2im(columns)");
    }

    [Fact]
    public void Span_lengths_that_do_not_match_the_window_are_refused()
    {
        var window = new Window3(1, 4, 4, 1, 3, 3, 1, 2, 2, 1, 1, 1, 0, 0, 0, 1, 1, 1);
        var ex = Assert.Throws<ArgumentException>(() => Im2Col.Run(new float[32], 2, window, new float[71]));
        Assert.Contains("image of 32 and columns of 72 elements but got 32 and 71", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Col2ImAdd.Run(new float[72], 2, window, new float[31]));
        Assert.Contains("Col2ImAdd", ex.Message, StringComparison.Ordinal);
        Assert.Contains("but got 31 and 72", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Im2Col.Run(new float[32], 2, window with { SW = 0 }, new float[72]));
        Assert.Contains("stride and dilation must be positive", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A random 1-, 2- or 3-d window. The output size is the convolution arithmetic's, or one
    /// less or more: transposed convolution with output padding passes sizes the arithmetic
    /// alone would not give, and positions past the input must read as padding.
    /// </summary>
    private static (Window3 Window, int Channels) RandomWindow(ulong seed)
    {
        var r = new RandomSource(seed);
        int dims = 1 + r.NextInt(3);
        var sizes = new int[3][];
        for (int axis = 0; axis < 3; axis++)
        {
            sizes[axis] = axis < 3 - dims ? [1, 1, 1, 1, 0, 1] : RandomAxis(r);
        }
        var w = new Window3(
            sizes[0][0], sizes[1][0], sizes[2][0], sizes[0][1], sizes[1][1], sizes[2][1],
            sizes[0][2], sizes[1][2], sizes[2][2], sizes[0][3], sizes[1][3], sizes[2][3],
            sizes[0][4], sizes[1][4], sizes[2][4], sizes[0][5], sizes[1][5], sizes[2][5]);
        return (w, 1 + r.NextInt(4));
    }

    /// <summary>[in, out, kernel, stride, pad, dilation] for one axis.</summary>
    private static int[] RandomAxis(RandomSource r)
    {
        int kernel = 1 + r.NextInt(3), stride = 1 + r.NextInt(3), dilation = 1 + r.NextInt(2), pad = r.NextInt(3);
        int extent = dilation * (kernel - 1) + 1;
        int input = Math.Max(1, extent - 2 * pad) + r.NextInt(5);
        int output = (input + 2 * pad - extent) / stride + 1 + (r.NextInt(4) == 0 ? r.NextInt(3) - 1 : 0);
        return [input, Math.Max(1, output), kernel, stride, pad, dilation];
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }
        return sum;
    }
}
