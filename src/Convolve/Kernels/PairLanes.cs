using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// Lane moves shared by the 2×2 stride-2 kernels: splitting a row into its even and odd taps, and
/// repeating each window's value over its two taps. Callers check the instruction set first.
/// </summary>
internal static class PairLanes
{
    /// <summary>
    /// The even- and odd-position elements of 16 consecutive floats, both in the lane order
    /// 0 2 8 10 | 4 6 12 14 (resp. 1 3 9 11 | 5 7 13 15) that an in-lane shuffle gives; the
    /// caller restores the order once, after the arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<float> Even, Vector256<float> Odd) Split(ReadOnlySpan<float> values)
    {
        Vector256<float> low = Vector256.Create(values[..8]), high = Vector256.Create(values.Slice(8, 8));
        return (Avx.Shuffle(low, high, 0b10_00_10_00), Avx.Shuffle(low, high, 0b11_01_11_01));
    }

    /// <summary>Eight values each repeated twice, as 16 floats in order: the left and right 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<float> Left, Vector256<float> Right) Spread(Vector256<float> values) =>
        (Avx2.PermuteVar8x32(values, Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3)), Avx2.PermuteVar8x32(values, Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7)));

    /// <summary>Adds 16 floats into <paramref name="target"/>'s first 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Add(Span<float> target, Vector256<float> left, Vector256<float> right)
    {
        (Vector256.Create(target[..8]) + left).CopyTo(target[..8]);
        (Vector256.Create(target.Slice(8, 8)) + right).CopyTo(target.Slice(8, 8));
    }

    /// <summary>Four values each repeated twice, as 8 floats in order: the left and right 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector128<float> Left, Vector128<float> Right) Spread(Vector128<float> values) => (Sse.UnpackLow(values, values), Sse.UnpackHigh(values, values));

    /// <summary>Adds 8 floats into <paramref name="target"/>'s first 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Add(Span<float> target, Vector128<float> left, Vector128<float> right)
    {
        (Vector128.Create(target[..4]) + left).CopyTo(target[..4]);
        (Vector128.Create(target.Slice(4, 4)) + right).CopyTo(target.Slice(4, 4));
    }
}
