using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// The inner loops of im2col and col2im along the width axis: a contiguous run of the column
/// row against every <c>stride</c>-th element of an input row. Stride 1 is a plain block copy.
/// </summary>
internal static class StridedRow
{
    /// <summary><c>destination[i] = source[start + i·stride]</c> for every <c>i</c> of <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(ReadOnlySpan<float> source, int start, int stride, Span<float> destination)
    {
        if (stride == 1)
        {
            source.Slice(start, destination.Length).CopyTo(destination);
            return;
        }
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = source[start + i * stride];
        }
    }

    /// <summary><c>destination[start + i·stride] += source[i]</c> for every <c>i</c> of <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScatterAdd(ReadOnlySpan<float> source, Span<float> destination, int start, int stride)
    {
        if (stride == 1)
        {
            Span<float> run = destination.Slice(start, source.Length);
            for (int i = 0; i < run.Length; i++)
            {
                run[i] += source[i];
            }
            return;
        }
        for (int i = 0; i < source.Length; i++)
        {
            destination[start + i * stride] += source[i];
        }
    }
}
