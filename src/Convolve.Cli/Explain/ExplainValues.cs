using Convolve.Diagnostics;
using Convolve.Tensors;

namespace Convolve.Cli.Explain;

/// <summary>
/// The numbers of <c>--values</c>: the layer's input (integers 0 to 9) and kernel (−2 to 2) drawn from
/// the seed, and the output computed from the explanation itself (C·x, or Cᵀ·y for a transposed
/// convolution), which the tests compare with the layers.
/// </summary>
internal sealed record ExplainValues(float[] Input, float[] Kernel, float[] Output)
{
    public static ExplainValues Draw(ConvolutionExplanation explained, ulong seed)
    {
        var random = new RandomSource(seed);
        int[] input = explained.InputSize;
        float[] x = Symbols.Draw(random, input[0] * input[1], 0, 9);
        float[] w = Symbols.Draw(random, explained.Geometry.Kernel[0] * explained.Geometry.Kernel[1], -2, 2);
        Tensor c = explained.Matrix(w);
        int rows = c.Shape[0], columns = c.Shape[1];
        bool transposed = explained.Kind == WindowKind.TransposedConvolution;
        var output = new float[transposed ? columns : rows];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                if (transposed)
                {
                    output[j] += c.Data[r * columns + j] * x[r];
                }
                else
                {
                    output[r] += c.Data[r * columns + j] * x[j];
                }
            }
        }
        return new ExplainValues(x, w, output);
    }
}
