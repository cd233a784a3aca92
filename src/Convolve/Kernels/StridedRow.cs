using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// The inner loops of im2col and col2im along the width axis: a contiguous run of the column
/// row against every <c>stride</c>-th element of an input row. The runs are short (an output
/// row: 7 to 32 floats in typical layers) and there are hundreds of thousands per batch, so the
/// stride-1 paths move them with whole vectors, the last one overlapping the one before, instead
/// of per-call span copies whose fixed cost dominated (measured: im2col of Conv2d(32,64,5,p=2) on
/// 64 images of 14×14 spent most of its 8.7 ms in that overhead).
/// </summary>
internal static class StridedRow
{
    /// <summary>Whether the stride-1 paths use 256-bit vectors: follows <see cref="Simd.Level"/> (and so <c>CONVOLVE_SIMD</c>).</summary>
    private static readonly bool UseVectors = Simd.Level >= SimdLevel.Vector256;

    /// <summary><c>destination[i] = source[start + i·stride]</c> for every <c>i</c> of <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(ReadOnlySpan<float> source, int start, int stride, Span<float> destination)
    {
        if (stride == 1)
        {
            ReadOnlySpan<float> run = source.Slice(start, destination.Length);
            Copy(ref MemoryMarshal.GetReference(run), ref MemoryMarshal.GetReference(destination), run.Length);
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
            Add(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(run), run.Length);
            return;
        }
        for (int i = 0; i < source.Length; i++)
        {
            destination[start + i * stride] += source[i];
        }
    }

    /// <summary>Copies <paramref name="count"/> floats; the callers' slicing has checked both ranges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float source, ref float destination, int count)
    {
        int width = Vector256<float>.Count;
        if (!UseVectors || count < width)
        {
            for (int i = 0; i < count; i++)
            {
                Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
            }
            return;
        }
        int last = count - width;
        for (int i = 0; i < last; i += width)
        {
            Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
        }
        // The final vector may overlap the previous one; it writes the same values again.
        Vector256.LoadUnsafe(ref source, (nuint)last).StoreUnsafe(ref destination, (nuint)last);
    }

    /// <summary>Adds <paramref name="count"/> floats of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref float source, ref float destination, int count)
    {
        int width = Vector256<float>.Count, i = 0;
        if (UseVectors)
        {
            for (; i <= count - width; i += width)
            {
                (Vector256.LoadUnsafe(ref destination, (nuint)i) + Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref destination, (nuint)i);
            }
        }
        for (; i < count; i++)
        {
            Unsafe.Add(ref destination, i) += Unsafe.Add(ref source, i);
        }
    }
}
