using Convolve.Kernels;

namespace Convolve.Tests.Kernels;

/// <summary>The packed layout, element by element from its definition, including the zero padding of edge panels.</summary>
public class GemmPackingTests
{
    /// <summary>
    /// A 5-line, 7-deep block packed in panels of 4: line r of panel q at depth p lands at
    /// <c>q·4·7 + p·4 + r</c>; the three missing lines of the second panel are zeros. Both storage
    /// orders (lines strided: gather; lines contiguous: copy) give the same panels.
    /// </summary>
    [Theory]
    [InlineData(false, 4)]
    [InlineData(true, 4)]
    [InlineData(false, 6)]
    [InlineData(true, 6)]
    public unsafe void Panels_hold_each_k_step_together_and_pad_with_zeros(bool linesContiguous, int width)
    {
        const int lines = 5, depth = 7;
        float[] source = new float[lines * depth];
        for (int r = 0; r < lines; r++)
        {
            for (int p = 0; p < depth; p++)
            {
                source[linesContiguous ? p * lines + r : r * depth + p] = 100 * r + p;
            }
        }
        int panels = (lines + width - 1) / width;
        float[] packed = new float[panels * width * depth];
        Array.Fill(packed, float.NaN);
        fixed (float* src = source, dst = packed)
        {
            nint rStride = linesContiguous ? 1 : depth, pStride = linesContiguous ? lines : 1;
            GemmPacking.Pack(src, rStride, pStride, lines, depth, width, dst);
        }
        for (int q = 0; q < panels; q++)
        {
            for (int p = 0; p < depth; p++)
            {
                for (int r = 0; r < width; r++)
                {
                    int line = q * width + r;
                    float expected = line < lines ? 100 * line + p : 0f;
                    Assert.True(packed[q * width * depth + p * width + r] == expected,
                        $"panel {q}, k-step {p}, line {r}: {packed[q * width * depth + p * width + r]} but expected {expected}");
                }
            }
        }
    }
}
