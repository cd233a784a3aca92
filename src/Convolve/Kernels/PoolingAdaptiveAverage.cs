using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Adaptive average pooling over <c>planes</c> independent (n, c) planes of shape <c>[H, W]</c>:
/// output position <c>i</c> of a dimension averages the input bin
/// <c>[floor(i·In/Out), ceil((i + 1)·In/Out))</c> (PyTorch's bins; they overlap when
/// <c>In/Out</c> is not an integer and repeat when <c>Out &gt; In</c>). A bin is summed in double.
/// </summary>
public static class PoolingAdaptiveAverage
{
    /// <summary>Writes the bin averages. Shapes: input <c>[planes, inH, inW]</c>, output <c>[planes, outH, outW]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int planes, int inH, int inW, int outH, int outW)
    {
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> inputPlane = input.Slice(plane * inH * inW, inH * inW);
            Span<float> outputPlane = output.Slice(plane * outH * outW, outH * outW);
            for (int oh = 0; oh < outH; oh++)
            {
                var (h0, h1) = Bin(oh, inH, outH);
                for (int ow = 0; ow < outW; ow++)
                {
                    var (w0, w1) = Bin(ow, inW, outW);
                    double sum = 0;
                    for (int y = h0; y < h1; y++)
                    {
                        ReadOnlySpan<float> row = inputPlane.Slice(y * inW + w0, w1 - w0);
                        for (int x = 0; x < row.Length; x++)
                        {
                            sum += row[x];
                        }
                    }
                    // Summed in double (issue 17: a float sum over a 28×28 bin of values near 30 lost 3e-3
                    // of a spread of 0.01), then divided by the bin size and rounded once.
                    outputPlane[oh * outW + ow] = (float)(sum / ((h1 - h0) * (w1 - w0)));
                }
            }
        }
    }

    /// <summary>Adds each output gradient, divided by its bin's size, into every element of the bin. Shapes as in <see cref="Forward"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardAdd(ReadOnlySpan<float> gradOutput, Span<float> gradInput, int planes, int inH, int inW, int outH, int outW)
    {
        for (int plane = 0; plane < planes; plane++)
        {
            Span<float> gradInputPlane = gradInput.Slice(plane * inH * inW, inH * inW);
            ReadOnlySpan<float> gradOutputPlane = gradOutput.Slice(plane * outH * outW, outH * outW);
            for (int oh = 0; oh < outH; oh++)
            {
                var (h0, h1) = Bin(oh, inH, outH);
                for (int ow = 0; ow < outW; ow++)
                {
                    var (w0, w1) = Bin(ow, inW, outW);
                    float share = gradOutputPlane[oh * outW + ow] / (h1 - h0) / (w1 - w0);
                    for (int y = h0; y < h1; y++)
                    {
                        Span<float> row = gradInputPlane.Slice(y * inW + w0, w1 - w0);
                        for (int x = 0; x < row.Length; x++)
                        {
                            row[x] += share;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The input bin <c>[floor(i·In/Out), ceil((i + 1)·In/Out))</c> of output position <paramref name="i"/>.</summary>
    private static (int Start, int End) Bin(int i, int input, int output) =>
        ((int)((long)i * input / output), (int)(((long)(i + 1) * input + output - 1) / output));
}
