using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Explain;

/// <summary>The explained matrices against the layers themselves: C·x is Conv2d's output, Cᵀ·y is ConvTranspose2d's, the im2col windows give MaxPool2d's maxima and switches.</summary>
public class ConvolutionExplanationTests
{
    // input rows, columns, kernel rows, columns, stride, padding, dilation
    public static TheoryData<int, int, int, int, int, int, int> Convolutions => new()
    {
        { 4, 4, 3, 3, 1, 0, 1 },
        { 5, 5, 3, 3, 2, 1, 1 },
        { 6, 5, 3, 2, 2, 0, 1 },
        { 7, 7, 3, 3, 1, 2, 2 },
        { 5, 6, 2, 3, 3, 1, 1 },
        { 3, 3, 3, 3, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void C_is_the_convolution_matrix_and_its_product_and_the_im2col_product_are_Conv2d(int h, int w, int kh, int kw, int s, int p, int d)
    {
        var conv = new Conv2d(1, 1, (kh, kw), stride: s, padding: p, dilation: d, bias: false, random: new RandomSource(1));
        var explained = ConvolutionExplanation.Convolution([h, w], [kh, kw], [s, s], [p, p], [d, d]);
        Tensor matrix = explained.Matrix(conv.Weight.Value.Span);
        Assert.Equal(ConvolutionMatrix.Of(conv, h, w).Data, matrix.Data);
        var x = Tensor.RandomNormal(new Shape(1, 1, h, w), 2);
        float[] y = conv.Forward(x).Data;
        TensorAssert.Close(Multiply(matrix, x.Data), y, 1e-5, 1e-6, "C·x");
        TensorAssert.Close(KernelTimesColumns(explained, conv.Weight.Value.Data, x.Data), y, 1e-5, 1e-6, "wᵀ·im2col");
    }

    // input rows, columns, kernel, stride, padding, dilation, output padding
    public static TheoryData<int, int, int, int, int, int, int> Transposes => new()
    {
        { 2, 2, 3, 1, 0, 1, 0 },
        { 3, 3, 3, 2, 1, 1, 1 },
        { 3, 2, 3, 2, 0, 1, 1 },
        { 2, 3, 2, 3, 1, 1, 2 },
        { 3, 3, 3, 1, 1, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void C_transposed_times_y_is_ConvTranspose2d(int h, int w, int k, int s, int p, int d, int op)
    {
        var transposed = new ConvTranspose2d(1, 1, k, stride: s, padding: p, outputPadding: op, bias: false, dilation: d, random: new RandomSource(3));
        var explained = ConvolutionExplanation.Transposed([h, w], [k, k], [s, s], [p, p], [d, d], [op, op]);
        var y = Tensor.RandomNormal(new Shape(1, 1, h, w), 4);
        Tensor output = transposed.Forward(y);
        Assert.Equal(output.Shape.Dimensions[2..].ToArray(), explained.OutputSize);
        Tensor matrix = explained.Matrix(transposed.Weight.Value.Span);
        TensorAssert.Close(MultiplyTransposed(matrix, y.Data), output.Data, 1e-5, 1e-6, "Cᵀ·y");
        var (first, last) = explained.InputsWithSameOutput(0);
        // Output padding below the stride picks one of the sizes the convolution maps back to h; PyTorch also
        // allows it up to the dilation, which reaches past them (the 3 × 3, stride 1, dilation 2 case).
        Assert.Equal(op < s, explained.OutputSize[0] >= first && explained.OutputSize[0] <= last);
        for (int size = first - 1; size <= last + 1; size++)
        {
            bool same = size >= first && size <= last;
            Assert.Equal(same, ConvolutionArithmetic.OutputSize(size, k, s, p, d) == h);
        }
    }

    [Theory]
    [InlineData(4, 4, 2, 2, 0, 1)]
    [InlineData(5, 5, 3, 2, 1, 1)]
    [InlineData(7, 6, 2, 3, 1, 2)]
    public void The_windows_give_MaxPool2d_maxima_and_switches(int h, int w, int k, int s, int p, int d)
    {
        var pool = new MaxPool2d(k, stride: s, padding: p, dilation: d);
        var explained = ConvolutionExplanation.MaxPooling([h, w], [k, k], [s, s], [p, p], [d, d]);
        var x = Tensor.RandomNormal(new Shape(1, 1, h, w), 5);
        var (output, indices) = pool.ForwardWithIndices(x);
        for (int o = 0; o < output.Size; o++)
        {
            var window = Enumerable.Range(0, k * k).Select(t => explained.Im2Col[t, o]).Where(i => i >= 0).ToList();
            int best = window.Aggregate((a, b) => x.Data[b] > x.Data[a] ? b : a);
            Assert.Equal(output.Data[o], x.Data[best]);
            Assert.Equal(indices.Data[o], best);
        }
    }

    [Fact]
    public void Bad_sizes_are_refused_with_the_layers_messages()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConvolutionExplanation.Convolution([2, 2], [3, 3], [1, 1], [0, 0], [1, 1]));
        Assert.Contains("convolution", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ConvolutionExplanation.Transposed([2, 2], [3, 3], [2, 2], [0, 0], [1, 1], [2, 2]));
        Assert.Contains("output padding (2) must be smaller than stride (2) or dilation (1)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ConvolutionExplanation.Convolution([0, 3], [1, 1], [1, 1], [0, 0], [1, 1]));
        Assert.Contains("two positive sizes (rows, columns) but got [0, 3]", ex.Message, StringComparison.Ordinal);
    }

    private static double[] Multiply(Tensor matrix, float[] vector)
    {
        int rows = matrix.Shape[0], columns = matrix.Shape[1];
        return Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns).Sum(c => (double)matrix.Data[r * columns + c] * vector[c])).ToArray();
    }

    private static double[] MultiplyTransposed(Tensor matrix, float[] vector)
    {
        int rows = matrix.Shape[0], columns = matrix.Shape[1];
        return Enumerable.Range(0, columns).Select(c => Enumerable.Range(0, rows).Sum(r => (double)matrix.Data[r * columns + c] * vector[r])).ToArray();
    }

    private static double[] KernelTimesColumns(ConvolutionExplanation explained, float[] kernel, float[] x)
    {
        int taps = explained.Im2Col.GetLength(0), outputs = explained.Im2Col.GetLength(1);
        return Enumerable.Range(0, outputs)
            .Select(o => Enumerable.Range(0, taps).Sum(t => explained.Im2Col[t, o] < 0 ? 0.0 : (double)kernel[t] * x[explained.Im2Col[t, o]]))
            .ToArray();
    }
}
