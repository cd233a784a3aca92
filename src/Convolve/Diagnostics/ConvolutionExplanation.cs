using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Diagnostics;

/// <summary>
/// The structure behind <c>convolve explain</c> for one-channel 2-d windows (Dumoulin &amp; Visin,
/// "A guide to convolution arithmetic for deep learning", sections 2–4): which input position each
/// kernel tap reads for each output position (the im2col matrix, as indices), and the sparse
/// convolution matrix C as tap indices, so that C = the kernel's values at those indices and
/// <c>vec(y) = C·vec(x)</c>. A transposed convolution is explained through the convolution it is the
/// transpose of: the one from the transposed layer's output size to its input size, with the same
/// kernel, stride, padding and dilation; its output is <c>Cᵀ·vec(input)</c>. Positions are row-major
/// flat indices; −1 marks a tap that falls in the zero padding.
/// </summary>
public sealed class ConvolutionExplanation
{
    private ConvolutionExplanation(WindowKind kind, ConvGeometry geometry, int[] windowInput, int[] windowOutput)
    {
        (Kind, Geometry, WindowInputSize, WindowOutputSize) = (kind, geometry, windowInput, windowOutput);
        int taps = geometry.Kernel[0] * geometry.Kernel[1], outputs = windowOutput[0] * windowOutput[1];
        Im2Col = new int[taps, outputs];
        Taps = new int[outputs, windowInput[0] * windowInput[1]];
        Fill();
    }

    /// <summary>What is explained.</summary>
    public WindowKind Kind { get; }

    /// <summary>Kernel, stride, padding, dilation (and output padding) over two spatial dimensions.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>The explained layer's input size (rows, columns).</summary>
    public int[] InputSize => Kind == WindowKind.TransposedConvolution ? WindowOutputSize : WindowInputSize;

    /// <summary>The explained layer's output size (rows, columns).</summary>
    public int[] OutputSize => Kind == WindowKind.TransposedConvolution ? WindowInputSize : WindowOutputSize;

    /// <summary>The input of the sliding window: the convolution's (or pooling's) input; for a transposed convolution, its output.</summary>
    public int[] WindowInputSize { get; }

    /// <summary>The positions the window stops at: the convolution's output; for a transposed convolution, its input.</summary>
    public int[] WindowOutputSize { get; }

    /// <summary>[kernel taps, window outputs]: the window-input position each tap reads at each stop, or −1 in the padding.</summary>
    public int[,] Im2Col { get; }

    /// <summary>[window outputs, window inputs]: the kernel tap at each entry of C, or −1 where C is zero.</summary>
    public int[,] Taps { get; }

    /// <summary>Explains a convolution of an input of <paramref name="input"/> (rows, columns).</summary>
    public static ConvolutionExplanation Convolution(int[] input, int[] kernel, int[] stride, int[] padding, int[] dilation)
    {
        var geometry = ConvGeometry.ForConvolution("convolution", 2, kernel, stride, padding, dilation);
        return new ConvolutionExplanation(WindowKind.Convolution, geometry, Positive(input), geometry.ConvolutionOutputSize(input));
    }

    /// <summary>Explains a transposed convolution of an input of <paramref name="input"/> (rows, columns).</summary>
    public static ConvolutionExplanation Transposed(int[] input, int[] kernel, int[] stride, int[] padding, int[] dilation, int[] outputPadding)
    {
        var geometry = ConvGeometry.ForTransposedConvolution("transposed convolution", 2, kernel, stride, padding, outputPadding, dilation);
        return new ConvolutionExplanation(WindowKind.TransposedConvolution, geometry, geometry.TransposedOutputSize(Positive(input)), input);
    }

    /// <summary>Explains max pooling of an input of <paramref name="input"/> (rows, columns), floor mode.</summary>
    public static ConvolutionExplanation MaxPooling(int[] input, int[] kernel, int[] stride, int[] padding, int[] dilation)
    {
        var geometry = ConvGeometry.ForPooling("max pooling", 2, kernel, stride, padding, dilation);
        var explained = new ConvolutionExplanation(WindowKind.MaxPooling, geometry, Positive(input), geometry.PoolingOutputSize(input, ceilMode: false));
        for (int p = 0; p < explained.Im2Col.GetLength(1); p++)
        {
            if (Enumerable.Range(0, explained.Im2Col.GetLength(0)).All(t => explained.Im2Col[t, p] < 0))
            {
                // As MaxPool2d, which refuses such a window rather than return −∞.
                throw new ArgumentException($"max pooling: the window of output {p / explained.OutputSize[1]}, {p % explained.OutputSize[1]} covers only padding", nameof(input));
            }
        }
        return explained;
    }

    /// <summary>C with the kernel's values, Shape [window outputs, window inputs].</summary>
    /// <param name="kernel">The kernel, row-major, <c>kH·kW</c> values.</param>
    public Tensor Matrix(ReadOnlySpan<float> kernel)
    {
        int rows = Taps.GetLength(0), columns = Taps.GetLength(1);
        if (kernel.Length != Im2Col.GetLength(0))
        {
            throw new ArgumentException($"the kernel has {kernel.Length} values but {Shape.Format(Geometry.Kernel)} needs {Im2Col.GetLength(0)}", nameof(kernel));
        }
        var matrix = new Tensor(new Shape(rows, columns));
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                matrix.Data[r * columns + c] = Taps[r, c] < 0 ? 0f : kernel[Taps[r, c]];
            }
        }
        return matrix;
    }

    /// <summary>
    /// The window-input sizes along <paramref name="dim"/> that a convolution with this geometry maps
    /// to the same window-output size: <c>(o − 1)·s − 2p + d(k − 1) + 1</c> and the s − 1 after it,
    /// whose last rows the floor drops. A transposed convolution's output padding picks among them.
    /// </summary>
    public (int First, int Last) InputsWithSameOutput(int dim)
    {
        var g = Geometry;
        int first = (WindowOutputSize[dim] - 1) * g.Stride[dim] - g.PadBefore[dim] - g.PadAfter[dim] + g.EffectiveKernel(dim);
        return (first, first + g.Stride[dim] - 1);
    }

    private void Fill()
    {
        var g = Geometry;
        int inWidth = WindowInputSize[1], outWidth = WindowOutputSize[1], kw = g.Kernel[1];
        for (int p = 0; p < Im2Col.GetLength(1); p++)
        {
            for (int t = 0; t < Im2Col.GetLength(0); t++)
            {
                int row = p / outWidth * g.Stride[0] - g.PadBefore[0] + t / kw * g.Dilation[0];
                int column = p % outWidth * g.Stride[1] - g.PadBefore[1] + t % kw * g.Dilation[1];
                bool inside = row >= 0 && row < WindowInputSize[0] && column >= 0 && column < inWidth;
                Im2Col[t, p] = inside ? row * inWidth + column : -1;
            }
        }
        for (int p = 0; p < Taps.GetLength(0); p++)
        {
            for (int q = 0; q < Taps.GetLength(1); q++)
            {
                Taps[p, q] = -1;
            }
            for (int t = 0; t < Im2Col.GetLength(0); t++)
            {
                if (Im2Col[t, p] >= 0)
                {
                    Taps[p, Im2Col[t, p]] = t;
                }
            }
        }
    }

    private static int[] Positive(int[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != 2 || input.Any(size => size <= 0))
        {
            throw new ArgumentException($"the input size must be two positive sizes (rows, columns) but got {Shape.Format(input)}", nameof(input));
        }
        return input;
    }
}
