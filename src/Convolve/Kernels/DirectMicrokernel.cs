using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// The direct-convolution microkernel (Georganas et al., SC 2018): a tile of up to 14 output
/// pixels × up to 4 output-channel vectors held in named accumulators, summed over a list of
/// <em>segments</em>. A segment is one input-channel block seen through one kernel tap: at
/// <c>input + offsets[s]</c> pixel i of the tile has its <c>depth</c> channels at
/// <c>i·Lanes + c</c> (the channel-blocked layout of <see cref="BlockedFrame"/>); each step
/// broadcasts one input value per pixel and multiplies it into J weight vectors, so
/// <c>acc[i][j] += input[s][i][c] · weight[s][c][j]</c>. Taps, channel blocks, strides (through
/// phase-split inputs), dilation and transposed kernels all become segment offsets and a weight
/// packing, so this one kernel computes the forward pass and the input gradient.
/// The tile sizes are JIT-time constants (<see cref="ITileSize"/>): every (pixels, vectors)
/// pair compiles to its own machine code with only its accumulators live.
/// </summary>
internal static unsafe class DirectMicrokernel
{
    /// <summary>The most pixels in a tile.</summary>
    public const int MaxPixels = 14;

    /// <summary>The most output-channel vectors in a tile.</summary>
    public const int MaxVectors = 4;

    /// <summary>
    /// Writes <c>output[j·outputVectorStride + i·Lanes + lane] = Σ_s Σ_c input[offsets[s] + i·Lanes + c] · weight[((s·depth + c)·J + j)·Lanes + lane]</c>.
    /// </summary>
    /// <param name="input">The tile's base in the blocked input; segment s starts at <c>input + offsets[s]</c>.</param>
    /// <param name="offsets">Per segment, its offset from <paramref name="input"/>, in floats.</param>
    /// <param name="segments">Number of segments (zero writes zeros).</param>
    /// <param name="depth">Channels per segment (at most Lanes).</param>
    /// <param name="weight">Packed weights, <c>[segments][depth][J][Lanes]</c>.</param>
    /// <param name="output">Where pixel 0 of vector 0 goes; pixels are Lanes floats apart.</param>
    /// <param name="outputVectorStride">Floats from one output vector (channel block) to the next.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TVector, TPixels, TVectors>(float* input, int* offsets, int segments, int depth, float* weight, float* output, nint outputVectorStride)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
        where TPixels : struct, ITileSize
        where TVectors : struct, ITileSize
    {
        int lanes = TOps.Lanes, p = TPixels.Value, j = TVectors.Value;
        TVector a0_0 = default, a1_0 = default, a2_0 = default, a3_0 = default, a4_0 = default, a5_0 = default, a6_0 = default, a7_0 = default, a8_0 = default, a9_0 = default, a10_0 = default, a11_0 = default, a12_0 = default, a13_0 = default;
        TVector a0_1 = default, a1_1 = default, a2_1 = default, a3_1 = default, a4_1 = default, a5_1 = default, a6_1 = default, a7_1 = default, a8_1 = default, a9_1 = default, a10_1 = default, a11_1 = default, a12_1 = default, a13_1 = default;
        TVector a0_2 = default, a1_2 = default, a2_2 = default, a3_2 = default, a4_2 = default, a5_2 = default, a6_2 = default, a7_2 = default, a8_2 = default, a9_2 = default, a10_2 = default, a11_2 = default, a12_2 = default, a13_2 = default;
        TVector a0_3 = default, a1_3 = default, a2_3 = default, a3_3 = default, a4_3 = default, a5_3 = default, a6_3 = default, a7_3 = default, a8_3 = default, a9_3 = default, a10_3 = default, a11_3 = default, a12_3 = default, a13_3 = default;
        for (int s = 0; s < segments; s++)
        {
            float* x = input + offsets[s];
            for (int c = 0; c < depth; c++, x++, weight += j * lanes)
            {
                TVector w0 = TOps.Load(weight);
                TVector w1 = j > 1 ? TOps.Load(weight + lanes) : default;
                TVector w2 = j > 2 ? TOps.Load(weight + (2 * lanes)) : default;
                TVector w3 = j > 3 ? TOps.Load(weight + (3 * lanes)) : default;
                TVector b;
                if (p > 0) { b = TOps.Broadcast(x + (0 * lanes)); a0_0 = TOps.MultiplyAdd(b, w0, a0_0); if (j > 1) { a0_1 = TOps.MultiplyAdd(b, w1, a0_1); } if (j > 2) { a0_2 = TOps.MultiplyAdd(b, w2, a0_2); } if (j > 3) { a0_3 = TOps.MultiplyAdd(b, w3, a0_3); } }
                if (p > 1) { b = TOps.Broadcast(x + (1 * lanes)); a1_0 = TOps.MultiplyAdd(b, w0, a1_0); if (j > 1) { a1_1 = TOps.MultiplyAdd(b, w1, a1_1); } if (j > 2) { a1_2 = TOps.MultiplyAdd(b, w2, a1_2); } if (j > 3) { a1_3 = TOps.MultiplyAdd(b, w3, a1_3); } }
                if (p > 2) { b = TOps.Broadcast(x + (2 * lanes)); a2_0 = TOps.MultiplyAdd(b, w0, a2_0); if (j > 1) { a2_1 = TOps.MultiplyAdd(b, w1, a2_1); } if (j > 2) { a2_2 = TOps.MultiplyAdd(b, w2, a2_2); } if (j > 3) { a2_3 = TOps.MultiplyAdd(b, w3, a2_3); } }
                if (p > 3) { b = TOps.Broadcast(x + (3 * lanes)); a3_0 = TOps.MultiplyAdd(b, w0, a3_0); if (j > 1) { a3_1 = TOps.MultiplyAdd(b, w1, a3_1); } if (j > 2) { a3_2 = TOps.MultiplyAdd(b, w2, a3_2); } if (j > 3) { a3_3 = TOps.MultiplyAdd(b, w3, a3_3); } }
                if (p > 4) { b = TOps.Broadcast(x + (4 * lanes)); a4_0 = TOps.MultiplyAdd(b, w0, a4_0); if (j > 1) { a4_1 = TOps.MultiplyAdd(b, w1, a4_1); } if (j > 2) { a4_2 = TOps.MultiplyAdd(b, w2, a4_2); } if (j > 3) { a4_3 = TOps.MultiplyAdd(b, w3, a4_3); } }
                if (p > 5) { b = TOps.Broadcast(x + (5 * lanes)); a5_0 = TOps.MultiplyAdd(b, w0, a5_0); if (j > 1) { a5_1 = TOps.MultiplyAdd(b, w1, a5_1); } if (j > 2) { a5_2 = TOps.MultiplyAdd(b, w2, a5_2); } if (j > 3) { a5_3 = TOps.MultiplyAdd(b, w3, a5_3); } }
                if (p > 6) { b = TOps.Broadcast(x + (6 * lanes)); a6_0 = TOps.MultiplyAdd(b, w0, a6_0); if (j > 1) { a6_1 = TOps.MultiplyAdd(b, w1, a6_1); } if (j > 2) { a6_2 = TOps.MultiplyAdd(b, w2, a6_2); } if (j > 3) { a6_3 = TOps.MultiplyAdd(b, w3, a6_3); } }
                if (p > 7) { b = TOps.Broadcast(x + (7 * lanes)); a7_0 = TOps.MultiplyAdd(b, w0, a7_0); if (j > 1) { a7_1 = TOps.MultiplyAdd(b, w1, a7_1); } if (j > 2) { a7_2 = TOps.MultiplyAdd(b, w2, a7_2); } if (j > 3) { a7_3 = TOps.MultiplyAdd(b, w3, a7_3); } }
                if (p > 8) { b = TOps.Broadcast(x + (8 * lanes)); a8_0 = TOps.MultiplyAdd(b, w0, a8_0); if (j > 1) { a8_1 = TOps.MultiplyAdd(b, w1, a8_1); } if (j > 2) { a8_2 = TOps.MultiplyAdd(b, w2, a8_2); } if (j > 3) { a8_3 = TOps.MultiplyAdd(b, w3, a8_3); } }
                if (p > 9) { b = TOps.Broadcast(x + (9 * lanes)); a9_0 = TOps.MultiplyAdd(b, w0, a9_0); if (j > 1) { a9_1 = TOps.MultiplyAdd(b, w1, a9_1); } if (j > 2) { a9_2 = TOps.MultiplyAdd(b, w2, a9_2); } if (j > 3) { a9_3 = TOps.MultiplyAdd(b, w3, a9_3); } }
                if (p > 10) { b = TOps.Broadcast(x + (10 * lanes)); a10_0 = TOps.MultiplyAdd(b, w0, a10_0); if (j > 1) { a10_1 = TOps.MultiplyAdd(b, w1, a10_1); } if (j > 2) { a10_2 = TOps.MultiplyAdd(b, w2, a10_2); } if (j > 3) { a10_3 = TOps.MultiplyAdd(b, w3, a10_3); } }
                if (p > 11) { b = TOps.Broadcast(x + (11 * lanes)); a11_0 = TOps.MultiplyAdd(b, w0, a11_0); if (j > 1) { a11_1 = TOps.MultiplyAdd(b, w1, a11_1); } if (j > 2) { a11_2 = TOps.MultiplyAdd(b, w2, a11_2); } if (j > 3) { a11_3 = TOps.MultiplyAdd(b, w3, a11_3); } }
                if (p > 12) { b = TOps.Broadcast(x + (12 * lanes)); a12_0 = TOps.MultiplyAdd(b, w0, a12_0); if (j > 1) { a12_1 = TOps.MultiplyAdd(b, w1, a12_1); } if (j > 2) { a12_2 = TOps.MultiplyAdd(b, w2, a12_2); } if (j > 3) { a12_3 = TOps.MultiplyAdd(b, w3, a12_3); } }
                if (p > 13) { b = TOps.Broadcast(x + (13 * lanes)); a13_0 = TOps.MultiplyAdd(b, w0, a13_0); if (j > 1) { a13_1 = TOps.MultiplyAdd(b, w1, a13_1); } if (j > 2) { a13_2 = TOps.MultiplyAdd(b, w2, a13_2); } if (j > 3) { a13_3 = TOps.MultiplyAdd(b, w3, a13_3); } }
            }
        }
        if (j > 0)
        {
            float* o = output + (0 * outputVectorStride);
            if (p > 0) { TOps.Store(o + (0 * lanes), a0_0); }
            if (p > 1) { TOps.Store(o + (1 * lanes), a1_0); }
            if (p > 2) { TOps.Store(o + (2 * lanes), a2_0); }
            if (p > 3) { TOps.Store(o + (3 * lanes), a3_0); }
            if (p > 4) { TOps.Store(o + (4 * lanes), a4_0); }
            if (p > 5) { TOps.Store(o + (5 * lanes), a5_0); }
            if (p > 6) { TOps.Store(o + (6 * lanes), a6_0); }
            if (p > 7) { TOps.Store(o + (7 * lanes), a7_0); }
            if (p > 8) { TOps.Store(o + (8 * lanes), a8_0); }
            if (p > 9) { TOps.Store(o + (9 * lanes), a9_0); }
            if (p > 10) { TOps.Store(o + (10 * lanes), a10_0); }
            if (p > 11) { TOps.Store(o + (11 * lanes), a11_0); }
            if (p > 12) { TOps.Store(o + (12 * lanes), a12_0); }
            if (p > 13) { TOps.Store(o + (13 * lanes), a13_0); }
        }
        if (j > 1)
        {
            float* o = output + (1 * outputVectorStride);
            if (p > 0) { TOps.Store(o + (0 * lanes), a0_1); }
            if (p > 1) { TOps.Store(o + (1 * lanes), a1_1); }
            if (p > 2) { TOps.Store(o + (2 * lanes), a2_1); }
            if (p > 3) { TOps.Store(o + (3 * lanes), a3_1); }
            if (p > 4) { TOps.Store(o + (4 * lanes), a4_1); }
            if (p > 5) { TOps.Store(o + (5 * lanes), a5_1); }
            if (p > 6) { TOps.Store(o + (6 * lanes), a6_1); }
            if (p > 7) { TOps.Store(o + (7 * lanes), a7_1); }
            if (p > 8) { TOps.Store(o + (8 * lanes), a8_1); }
            if (p > 9) { TOps.Store(o + (9 * lanes), a9_1); }
            if (p > 10) { TOps.Store(o + (10 * lanes), a10_1); }
            if (p > 11) { TOps.Store(o + (11 * lanes), a11_1); }
            if (p > 12) { TOps.Store(o + (12 * lanes), a12_1); }
            if (p > 13) { TOps.Store(o + (13 * lanes), a13_1); }
        }
        if (j > 2)
        {
            float* o = output + (2 * outputVectorStride);
            if (p > 0) { TOps.Store(o + (0 * lanes), a0_2); }
            if (p > 1) { TOps.Store(o + (1 * lanes), a1_2); }
            if (p > 2) { TOps.Store(o + (2 * lanes), a2_2); }
            if (p > 3) { TOps.Store(o + (3 * lanes), a3_2); }
            if (p > 4) { TOps.Store(o + (4 * lanes), a4_2); }
            if (p > 5) { TOps.Store(o + (5 * lanes), a5_2); }
            if (p > 6) { TOps.Store(o + (6 * lanes), a6_2); }
            if (p > 7) { TOps.Store(o + (7 * lanes), a7_2); }
            if (p > 8) { TOps.Store(o + (8 * lanes), a8_2); }
            if (p > 9) { TOps.Store(o + (9 * lanes), a9_2); }
            if (p > 10) { TOps.Store(o + (10 * lanes), a10_2); }
            if (p > 11) { TOps.Store(o + (11 * lanes), a11_2); }
            if (p > 12) { TOps.Store(o + (12 * lanes), a12_2); }
            if (p > 13) { TOps.Store(o + (13 * lanes), a13_2); }
        }
        if (j > 3)
        {
            float* o = output + (3 * outputVectorStride);
            if (p > 0) { TOps.Store(o + (0 * lanes), a0_3); }
            if (p > 1) { TOps.Store(o + (1 * lanes), a1_3); }
            if (p > 2) { TOps.Store(o + (2 * lanes), a2_3); }
            if (p > 3) { TOps.Store(o + (3 * lanes), a3_3); }
            if (p > 4) { TOps.Store(o + (4 * lanes), a4_3); }
            if (p > 5) { TOps.Store(o + (5 * lanes), a5_3); }
            if (p > 6) { TOps.Store(o + (6 * lanes), a6_3); }
            if (p > 7) { TOps.Store(o + (7 * lanes), a7_3); }
            if (p > 8) { TOps.Store(o + (8 * lanes), a8_3); }
            if (p > 9) { TOps.Store(o + (9 * lanes), a9_3); }
            if (p > 10) { TOps.Store(o + (10 * lanes), a10_3); }
            if (p > 11) { TOps.Store(o + (11 * lanes), a11_3); }
            if (p > 12) { TOps.Store(o + (12 * lanes), a12_3); }
            if (p > 13) { TOps.Store(o + (13 * lanes), a13_3); }
        }
    }

    /// <summary>The compiled kernel for a tile of <paramref name="pixels"/> × <paramref name="vectors"/> at a SIMD level.</summary>
    public static delegate*<float*, int*, int, int, float*, float*, nint, void> Select(SimdLevel level, int pixels, int vectors) => level switch
    {
        SimdLevel.Vector512 => Select<SimdOps512, Vector512<float>>(pixels, vectors),
        SimdLevel.Vector256 => Select<SimdOps256, Vector256<float>>(pixels, vectors),
        SimdLevel.Vector128 => Select<SimdOps128, Vector128<float>>(pixels, vectors),
        _ => Select<SimdOpsScalar, float>(pixels, vectors),
    };

    private static delegate*<float*, int*, int, int, float*, float*, nint, void> Select<TOps, TVector>(int pixels, int vectors)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged => vectors switch
    {
        1 => Select<TOps, TVector, Tile1>(pixels),
        2 => Select<TOps, TVector, Tile2>(pixels),
        3 => Select<TOps, TVector, Tile3>(pixels),
        4 => Select<TOps, TVector, Tile4>(pixels),
        _ => throw new ArgumentOutOfRangeException(nameof(vectors), vectors, $"a direct tile has 1 to {MaxVectors} vectors"),
    };

    private static delegate*<float*, int*, int, int, float*, float*, nint, void> Select<TOps, TVector, TVectors>(int pixels)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
        where TVectors : struct, ITileSize => pixels switch
    {
        1 => &Run<TOps, TVector, Tile1, TVectors>,
        2 => &Run<TOps, TVector, Tile2, TVectors>,
        3 => &Run<TOps, TVector, Tile3, TVectors>,
        4 => &Run<TOps, TVector, Tile4, TVectors>,
        5 => &Run<TOps, TVector, Tile5, TVectors>,
        6 => &Run<TOps, TVector, Tile6, TVectors>,
        7 => &Run<TOps, TVector, Tile7, TVectors>,
        8 => &Run<TOps, TVector, Tile8, TVectors>,
        9 => &Run<TOps, TVector, Tile9, TVectors>,
        10 => &Run<TOps, TVector, Tile10, TVectors>,
        11 => &Run<TOps, TVector, Tile11, TVectors>,
        12 => &Run<TOps, TVector, Tile12, TVectors>,
        13 => &Run<TOps, TVector, Tile13, TVectors>,
        14 => &Run<TOps, TVector, Tile14, TVectors>,
        _ => throw new ArgumentOutOfRangeException(nameof(pixels), pixels, $"a direct tile has 1 to {MaxPixels} pixels"),
    };
}
