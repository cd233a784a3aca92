using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// The weight-gradient microkernel of direct convolution (the "update" kernel of Georganas et al.,
/// SC 2018): up to 8 input channels × up to 3 output-channel vectors of one kernel tap in named
/// accumulators, reduced over the output pixels of several images. Per pixel it loads J vectors of the output
/// gradient (J·Lanes output channels) and broadcasts the input value of each of the A channels:
/// <c>acc[a][j] += input[pixel][a] · gradOutput[j][pixel]</c>. The pixels are <c>rows × columns</c>
/// of the blocked layouts (<see cref="BlockedFrame"/>), Lanes floats apart within a row. At the end
/// the accumulators are added to the gradient block, so successive calls sum in a fixed order.
/// </summary>
internal static unsafe class DirectWeightMicrokernel
{
    /// <summary>The most input channels in a tile.</summary>
    public const int MaxChannels = 8;

    /// <summary>The most output-channel vectors in a tile.</summary>
    public const int MaxVectors = 3;

    /// <summary>
    /// Adds <c>Σ_images Σ_rows Σ_columns input[i·inputImage + r·inputRow + q·Lanes + a] · gradOutput[i·gradImage + j·gradVector + r·gradRow + q·Lanes + lane]</c>
    /// to <c>gradWeight[a·Lanes + j·gradWeightVector + lane]</c>, summing images, rows and columns in that order.
    /// </summary>
    /// <param name="images">Images to sum over.</param>
    /// <param name="inputImage">Floats from one image's input to the next.</param>
    /// <param name="gradImage">Floats from one image's output gradient to the next.</param>
    /// <param name="input">Channel 0 of the tile at the first pixel.</param>
    /// <param name="gradOutput">Vector 0 of the output gradient at the first pixel.</param>
    /// <param name="rows">Rows of pixels.</param>
    /// <param name="columns">Pixels per row.</param>
    /// <param name="inputRow">Floats from one input row to the next.</param>
    /// <param name="gradRow">Floats from one gradient row to the next.</param>
    /// <param name="gradVector">Floats from one gradient vector (channel block) to the next.</param>
    /// <param name="gradWeight">The gradient block: channel a's vector j at <c>a·Lanes + j·gradWeightVector</c>.</param>
    /// <param name="gradWeightVector">Floats from one output-channel vector of the gradient block to the next.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TVector, TChannels, TVectors>(
        int images, nint inputImage, nint gradImage,
        float* input, float* gradOutput, int rows, int columns, nint inputRow, nint gradRow, nint gradVector, float* gradWeight, nint gradWeightVector)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
        where TChannels : struct, ITileSize
        where TVectors : struct, ITileSize
    {
        int lanes = TOps.Lanes, a = TChannels.Value, j = TVectors.Value;
        TVector a0_0 = default, a1_0 = default, a2_0 = default, a3_0 = default, a4_0 = default, a5_0 = default, a6_0 = default, a7_0 = default;
        TVector a0_1 = default, a1_1 = default, a2_1 = default, a3_1 = default, a4_1 = default, a5_1 = default, a6_1 = default, a7_1 = default;
        TVector a0_2 = default, a1_2 = default, a2_2 = default, a3_2 = default, a4_2 = default, a5_2 = default, a6_2 = default, a7_2 = default;
        for (int i = 0; i < images; i++, input += inputImage, gradOutput += gradImage)
        {
            for (int r = 0; r < rows; r++)
            {
                float* x = input + (r * inputRow), g = gradOutput + (r * gradRow);
                for (int q = 0; q < columns; q++, x += lanes, g += lanes)
                {
                    TVector g0 = TOps.Load(g);
                    TVector g1 = j > 1 ? TOps.Load(g + gradVector) : default;
                    TVector g2 = j > 2 ? TOps.Load(g + (2 * gradVector)) : default;
                    TVector b;
                    if (a > 0) { b = TOps.Broadcast(x + 0); a0_0 = TOps.MultiplyAdd(b, g0, a0_0); if (j > 1) { a0_1 = TOps.MultiplyAdd(b, g1, a0_1); } if (j > 2) { a0_2 = TOps.MultiplyAdd(b, g2, a0_2); } }
                    if (a > 1) { b = TOps.Broadcast(x + 1); a1_0 = TOps.MultiplyAdd(b, g0, a1_0); if (j > 1) { a1_1 = TOps.MultiplyAdd(b, g1, a1_1); } if (j > 2) { a1_2 = TOps.MultiplyAdd(b, g2, a1_2); } }
                    if (a > 2) { b = TOps.Broadcast(x + 2); a2_0 = TOps.MultiplyAdd(b, g0, a2_0); if (j > 1) { a2_1 = TOps.MultiplyAdd(b, g1, a2_1); } if (j > 2) { a2_2 = TOps.MultiplyAdd(b, g2, a2_2); } }
                    if (a > 3) { b = TOps.Broadcast(x + 3); a3_0 = TOps.MultiplyAdd(b, g0, a3_0); if (j > 1) { a3_1 = TOps.MultiplyAdd(b, g1, a3_1); } if (j > 2) { a3_2 = TOps.MultiplyAdd(b, g2, a3_2); } }
                    if (a > 4) { b = TOps.Broadcast(x + 4); a4_0 = TOps.MultiplyAdd(b, g0, a4_0); if (j > 1) { a4_1 = TOps.MultiplyAdd(b, g1, a4_1); } if (j > 2) { a4_2 = TOps.MultiplyAdd(b, g2, a4_2); } }
                    if (a > 5) { b = TOps.Broadcast(x + 5); a5_0 = TOps.MultiplyAdd(b, g0, a5_0); if (j > 1) { a5_1 = TOps.MultiplyAdd(b, g1, a5_1); } if (j > 2) { a5_2 = TOps.MultiplyAdd(b, g2, a5_2); } }
                    if (a > 6) { b = TOps.Broadcast(x + 6); a6_0 = TOps.MultiplyAdd(b, g0, a6_0); if (j > 1) { a6_1 = TOps.MultiplyAdd(b, g1, a6_1); } if (j > 2) { a6_2 = TOps.MultiplyAdd(b, g2, a6_2); } }
                    if (a > 7) { b = TOps.Broadcast(x + 7); a7_0 = TOps.MultiplyAdd(b, g0, a7_0); if (j > 1) { a7_1 = TOps.MultiplyAdd(b, g1, a7_1); } if (j > 2) { a7_2 = TOps.MultiplyAdd(b, g2, a7_2); } }
                }
            }
        }
        if (j > 0)
        {
            float* w = gradWeight + (0 * gradWeightVector);
            if (a > 0) { AddTo<TOps, TVector>(w + (0 * lanes), a0_0); }
            if (a > 1) { AddTo<TOps, TVector>(w + (1 * lanes), a1_0); }
            if (a > 2) { AddTo<TOps, TVector>(w + (2 * lanes), a2_0); }
            if (a > 3) { AddTo<TOps, TVector>(w + (3 * lanes), a3_0); }
            if (a > 4) { AddTo<TOps, TVector>(w + (4 * lanes), a4_0); }
            if (a > 5) { AddTo<TOps, TVector>(w + (5 * lanes), a5_0); }
            if (a > 6) { AddTo<TOps, TVector>(w + (6 * lanes), a6_0); }
            if (a > 7) { AddTo<TOps, TVector>(w + (7 * lanes), a7_0); }
        }
        if (j > 1)
        {
            float* w = gradWeight + (1 * gradWeightVector);
            if (a > 0) { AddTo<TOps, TVector>(w + (0 * lanes), a0_1); }
            if (a > 1) { AddTo<TOps, TVector>(w + (1 * lanes), a1_1); }
            if (a > 2) { AddTo<TOps, TVector>(w + (2 * lanes), a2_1); }
            if (a > 3) { AddTo<TOps, TVector>(w + (3 * lanes), a3_1); }
            if (a > 4) { AddTo<TOps, TVector>(w + (4 * lanes), a4_1); }
            if (a > 5) { AddTo<TOps, TVector>(w + (5 * lanes), a5_1); }
            if (a > 6) { AddTo<TOps, TVector>(w + (6 * lanes), a6_1); }
            if (a > 7) { AddTo<TOps, TVector>(w + (7 * lanes), a7_1); }
        }
        if (j > 2)
        {
            float* w = gradWeight + (2 * gradWeightVector);
            if (a > 0) { AddTo<TOps, TVector>(w + (0 * lanes), a0_2); }
            if (a > 1) { AddTo<TOps, TVector>(w + (1 * lanes), a1_2); }
            if (a > 2) { AddTo<TOps, TVector>(w + (2 * lanes), a2_2); }
            if (a > 3) { AddTo<TOps, TVector>(w + (3 * lanes), a3_2); }
            if (a > 4) { AddTo<TOps, TVector>(w + (4 * lanes), a4_2); }
            if (a > 5) { AddTo<TOps, TVector>(w + (5 * lanes), a5_2); }
            if (a > 6) { AddTo<TOps, TVector>(w + (6 * lanes), a6_2); }
            if (a > 7) { AddTo<TOps, TVector>(w + (7 * lanes), a7_2); }
        }
    }

    /// <summary>
    /// Output-channel vectors per tile for <paramref name="blocks"/> vectors in all: as few tiles as
    /// <see cref="MaxVectors"/> allows, of equal width where possible (4 vectors as 2 + 2, not 3 + 1:
    /// a one-vector tile loads a gradient vector and broadcasts 8 inputs for only 8 FMAs, so it is
    /// bound by loads); the groups themselves are cut by <see cref="Layers.DirectTile.BalancedGroup"/>, so 16
    /// vectors run as 2 + 3 + 3 + 2 + 3 + 3, not 3 + 3 + 3 + 3 + 3 + 1. Which tile a channel lands in does not
    /// change the order of its sum.
    /// </summary>
    public static int BalancedVectors(int blocks)
    {
        int tiles = (Math.Max(blocks, 1) + MaxVectors - 1) / MaxVectors;
        return (Math.Max(blocks, 1) + tiles - 1) / tiles;
    }

    /// <summary>The compiled kernel for a tile of <paramref name="channels"/> × <paramref name="vectors"/> at a SIMD level.</summary>
    public static delegate*<int, nint, nint, float*, float*, int, int, nint, nint, nint, float*, nint, void> Select(SimdLevel level, int channels, int vectors) => level switch
    {
        SimdLevel.Vector512 => Select<SimdOps512, Vector512<float>>(channels, vectors),
        SimdLevel.Vector256 => Select<SimdOps256, Vector256<float>>(channels, vectors),
        SimdLevel.Vector128 => Select<SimdOps128, Vector128<float>>(channels, vectors),
        _ => Select<SimdOpsScalar, float>(channels, vectors),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<TOps, TVector>(float* target, TVector value)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged => TOps.Store(target, TOps.Add(TOps.Load(target), value));

    private static delegate*<int, nint, nint, float*, float*, int, int, nint, nint, nint, float*, nint, void> Select<TOps, TVector>(int channels, int vectors)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged => vectors switch
    {
        1 => Select<TOps, TVector, Tile1>(channels),
        2 => Select<TOps, TVector, Tile2>(channels),
        3 => Select<TOps, TVector, Tile3>(channels),
        _ => throw new ArgumentOutOfRangeException(nameof(vectors), vectors, $"a weight-gradient tile has 1 to {MaxVectors} vectors"),
    };

    private static delegate*<int, nint, nint, float*, float*, int, int, nint, nint, nint, float*, nint, void> Select<TOps, TVector, TVectors>(int channels)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
        where TVectors : struct, ITileSize => channels switch
    {
        1 => &Run<TOps, TVector, Tile1, TVectors>,
        2 => &Run<TOps, TVector, Tile2, TVectors>,
        3 => &Run<TOps, TVector, Tile3, TVectors>,
        4 => &Run<TOps, TVector, Tile4, TVectors>,
        5 => &Run<TOps, TVector, Tile5, TVectors>,
        6 => &Run<TOps, TVector, Tile6, TVectors>,
        7 => &Run<TOps, TVector, Tile7, TVectors>,
        8 => &Run<TOps, TVector, Tile8, TVectors>,
        _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, $"a weight-gradient tile has 1 to {MaxChannels} channels"),
    };
}
