using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// The arithmetic of a depthwise convolution on flattened planes: one channel's plane, zero-padded and
/// split into stride phases, laid out row after row, so that every kernel tap becomes one offset and
/// the outputs of a whole plane (rows included, with a few discarded columns between them) are one
/// contiguous run of vectors along the width. <see cref="Correlate"/> computes a tile of
/// <see cref="VectorsPerTile"/> output vectors in registers, one broadcast weight per tap;
/// <see cref="DotTaps"/> is the weight gradient's reduction; <see cref="StoreRows"/> moves a flattened
/// result into its plane with the bias and an optional ReLU. One generic source per
/// <see cref="SimdLevel"/> (<see cref="ISimdOps{TVector}"/>).
/// </summary>
internal static unsafe class DepthwiseKernel
{
    /// <summary>Output vectors held in registers by one step of <see cref="Correlate"/>.</summary>
    public const int VectorsPerTile = 4;

    /// <summary>Floats in one tile of <see cref="Correlate"/> at <paramref name="level"/>: the unit every flattened run is rounded up to.</summary>
    public static int Tile(SimdLevel level) => VectorsPerTile * level switch
    {
        SimdLevel.Vector512 => SimdOps512.Lanes,
        SimdLevel.Vector256 => SimdOps256.Lanes,
        SimdLevel.Vector128 => SimdOps128.Lanes,
        _ => SimdOpsScalar.Lanes,
    };

    /// <summary>
    /// <c>result[j] (+)= Σ_t weights[t] · source[offsets[t] + j]</c> for j in [0, <paramref name="count"/>),
    /// <paramref name="count"/> a multiple of <see cref="Tile"/>; no taps writes zeros.
    /// </summary>
    public static void Correlate(SimdLevel level, float* source, int* offsets, float* weights, int taps, float* result, int count, bool accumulate)
    {
        switch (level)
        {
            case SimdLevel.Vector512: Correlate<SimdOps512, Vector512<float>>(source, offsets, weights, taps, result, count, accumulate); break;
            case SimdLevel.Vector256: Correlate<SimdOps256, Vector256<float>>(source, offsets, weights, taps, result, count, accumulate); break;
            case SimdLevel.Vector128: Correlate<SimdOps128, Vector128<float>>(source, offsets, weights, taps, result, count, accumulate); break;
            default: Correlate<SimdOpsScalar, float>(source, offsets, weights, taps, result, count, accumulate); break;
        }
    }

    /// <summary>
    /// <c>sums[t] += Σ_j gradient[j] · source[offsets[t] + j]</c> over j in [0, <paramref name="count"/>), a multiple of
    /// <see cref="Tile"/>: each sum in vector lanes in j order, the lanes added in a fixed order.
    /// </summary>
    public static void DotTaps(SimdLevel level, float* gradient, float* source, int* offsets, int taps, int count, double* sums)
    {
        switch (level)
        {
            case SimdLevel.Vector512: DotTaps<SimdOps512, Vector512<float>>(gradient, source, offsets, taps, count, sums); break;
            case SimdLevel.Vector256: DotTaps<SimdOps256, Vector256<float>>(gradient, source, offsets, taps, count, sums); break;
            case SimdLevel.Vector128: DotTaps<SimdOps128, Vector128<float>>(gradient, source, offsets, taps, count, sums); break;
            default: DotTaps<SimdOpsScalar, float>(gradient, source, offsets, taps, count, sums); break;
        }
    }

    /// <summary>
    /// <c>target[r·width + c] = relu?(source[r·sourceStride + c] + bias)</c> for <paramref name="rows"/> rows of
    /// <paramref name="width"/>: a flattened result back into its plane.
    /// </summary>
    public static void StoreRows(SimdLevel level, float* source, int sourceStride, float* target, int rows, int width, float bias, bool relu)
    {
        switch (level)
        {
            case SimdLevel.Vector512: StoreRows<SimdOps512, Vector512<float>>(source, sourceStride, target, rows, width, bias, relu); break;
            case SimdLevel.Vector256: StoreRows<SimdOps256, Vector256<float>>(source, sourceStride, target, rows, width, bias, relu); break;
            case SimdLevel.Vector128: StoreRows<SimdOps128, Vector128<float>>(source, sourceStride, target, rows, width, bias, relu); break;
            default: StoreRows<SimdOpsScalar, float>(source, sourceStride, target, rows, width, bias, relu); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Correlate<TOps, TVector>(float* source, int* offsets, float* weights, int taps, float* result, int count, bool accumulate)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int lanes = TOps.Lanes;
        for (int j = 0; j < count; j += VectorsPerTile * lanes)
        {
            float* r = result + j, s = source + j;
            TVector a0, a1, a2, a3;
            if (accumulate)
            {
                (a0, a1, a2, a3) = (TOps.Load(r), TOps.Load(r + lanes), TOps.Load(r + (2 * lanes)), TOps.Load(r + (3 * lanes)));
            }
            else
            {
                a0 = a1 = a2 = a3 = default;
            }
            for (int t = 0; t < taps; t++)
            {
                TVector w = TOps.Broadcast(weights + t);
                float* x = s + offsets[t];
                a0 = TOps.MultiplyAdd(w, TOps.Load(x), a0);
                a1 = TOps.MultiplyAdd(w, TOps.Load(x + lanes), a1);
                a2 = TOps.MultiplyAdd(w, TOps.Load(x + (2 * lanes)), a2);
                a3 = TOps.MultiplyAdd(w, TOps.Load(x + (3 * lanes)), a3);
            }
            TOps.Store(r, a0);
            TOps.Store(r + lanes, a1);
            TOps.Store(r + (2 * lanes), a2);
            TOps.Store(r + (3 * lanes), a3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotTaps<TOps, TVector>(float* gradient, float* source, int* offsets, int taps, int count, double* sums)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int lanes = TOps.Lanes, t = 0;
        for (; t + 4 <= taps; t += 4)
        {
            float* x0 = source + offsets[t], x1 = source + offsets[t + 1], x2 = source + offsets[t + 2], x3 = source + offsets[t + 3];
            TVector a0 = default, a1 = default, a2 = default, a3 = default;
            for (int j = 0; j < count; j += lanes)
            {
                TVector g = TOps.Load(gradient + j);
                a0 = TOps.MultiplyAdd(g, TOps.Load(x0 + j), a0);
                a1 = TOps.MultiplyAdd(g, TOps.Load(x1 + j), a1);
                a2 = TOps.MultiplyAdd(g, TOps.Load(x2 + j), a2);
                a3 = TOps.MultiplyAdd(g, TOps.Load(x3 + j), a3);
            }
            sums[t] += TOps.Sum(a0);
            sums[t + 1] += TOps.Sum(a1);
            sums[t + 2] += TOps.Sum(a2);
            sums[t + 3] += TOps.Sum(a3);
        }
        for (; t < taps; t++)
        {
            float* x = source + offsets[t];
            TVector a = default;
            for (int j = 0; j < count; j += lanes)
            {
                a = TOps.MultiplyAdd(TOps.Load(gradient + j), TOps.Load(x + j), a);
            }
            sums[t] += TOps.Sum(a);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreRows<TOps, TVector>(float* source, int sourceStride, float* target, int rows, int width, float bias, bool relu)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int lanes = TOps.Lanes;
        TVector b = TOps.Create(bias);
        for (int row = 0; row < rows; row++, source += sourceStride, target += width)
        {
            int c = 0;
            for (; c + lanes <= width; c += lanes)
            {
                TVector value = TOps.Add(TOps.Load(source + c), b);
                TOps.Store(target + c, relu ? TOps.Relu(value) : value);
            }
            for (; c < width; c++)
            {
                float value = source[c] + bias;
                target[c] = relu ? SimdOpsScalar.Relu(value) : value;
            }
        }
    }
}
