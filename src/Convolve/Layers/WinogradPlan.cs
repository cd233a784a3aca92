using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// What <see cref="WinogradConvolution"/> works out once per layout and SIMD level: the 2×2 output
/// tiles, the blocked frames (the input padded so every tile's 4×4 input exists, the output padded
/// to whole tiles), the transformed buffers (ξ-major: 16 × channel blocks × tiles × lanes), the
/// product tile shape and the packed transformed weights <c>U = G g Gᵀ</c>.
/// </summary>
internal sealed class WinogradPlan
{
    public WinogradPlan(in ConvolutionLayout layout, SimdLevel level)
    {
        Layout = layout;
        Level = level;
        Lanes = level switch { SimdLevel.Vector512 => 16, SimdLevel.Vector256 => 8, SimdLevel.Vector128 => 4, _ => 1 };
        Window3 w = layout.Window;
        InChannels = layout.InputChannels / layout.Groups;
        OutChannels = layout.OutputChannels / layout.Groups;
        TilesH = (w.OutH + 1) / 2;
        TilesW = (w.OutW + 1) / 2;
        InputFrame = new BlockedFrame(Lanes, InChannels, FrameAxis.Plain(1),
            new FrameAxis(w.InH, w.PH, 1, Math.Max((2 * TilesH) + 2, w.InH + w.PH)), new FrameAxis(w.InW, w.PW, 1, Math.Max((2 * TilesW) + 2, w.InW + w.PW)));
        OutputFrame = new BlockedFrame(Lanes, OutChannels, FrameAxis.Plain(1), new FrameAxis(w.OutH, 0, 1, 2 * TilesH), new FrameAxis(w.OutW, 0, 1, 2 * TilesW));
        InDepth = Math.Min(Lanes, InChannels);
        Tile = DirectTile.Choose(OutputFrame.Blocks, Tiles, level == SimdLevel.Vector512 ? 32 : 16);
        Offsets = Enumerable.Range(0, InputFrame.Blocks).Select(block => block * Tiles * Lanes).ToArray();
        WeightChannels = Math.Min(level == SimdLevel.Vector512 ? DirectWeightMicrokernel.MaxChannels : 4, InDepth);
        WeightVectors = DirectWeightMicrokernel.BalancedVectors(OutputFrame.Blocks);
        InputStride = WinogradTransforms.TransformStride(InputFrame.Blocks, Tiles, Lanes);
        OutputStride = WinogradTransforms.TransformStride(OutputFrame.Blocks, Tiles, Lanes);
        PanelSize = InputFrame.Blocks * InDepth * OutputFrame.Blocks * Lanes;
    }

    public ConvolutionLayout Layout { get; }

    public SimdLevel Level { get; }

    public int Lanes { get; }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int TilesH { get; }

    public int TilesW { get; }

    /// <summary>2×2 output tiles of one image.</summary>
    public int Tiles => TilesH * TilesW;

    /// <summary>One image-group's input, padded so every tile's 4×4 input lies inside.</summary>
    public BlockedFrame InputFrame { get; }

    /// <summary>One image-group's output (or output gradient), padded to whole tiles.</summary>
    public BlockedFrame OutputFrame { get; }

    /// <summary>Input channels per product segment.</summary>
    public int InDepth { get; }

    /// <summary>The product tile: output-channel vectors × tiles.</summary>
    public DirectTile Tile { get; }

    /// <summary>Product segment offsets: one per input channel block, within one ξ of the transformed input.</summary>
    public int[] Offsets { get; }

    public int WeightChannels { get; }

    public int WeightVectors { get; }

    /// <summary>Floats between consecutive ξ of the transformed input.</summary>
    public nint InputStride { get; }

    /// <summary>Floats between consecutive ξ of the transformed output (or output gradient).</summary>
    public nint OutputStride { get; }

    /// <summary>Floats of one ξ's packed weights of one group.</summary>
    public int PanelSize { get; }

    /// <summary>Floats of one group's blocked weight-gradient partial, <c>[ξ][out block][in block][Lanes][Lanes]</c>.</summary>
    public int GradientGroupSize => 16 * OutputFrame.Blocks * InputFrame.Blocks * Lanes * Lanes;

    /// <summary>Multiply-adds of one image-group in one pass (as a direct convolution would count them), for the thread split.</summary>
    public long ImageWork => (long)InChannels * OutChannels * 9 * Layout.Window.OutputPlane;

    /// <summary>True for the layers F(2×2, 3×3) computes: 2-d, 3×3, stride 1, no dilation, padding at most 2 (so the input gradient is again one).</summary>
    public static bool Applies(in ConvolutionLayout layout)
    {
        Window3 w = layout.Window;
        return w.KD == 1 && w.InD == 1 && w.OutD == 1 && w.KH == 3 && w.KW == 3 && w.SH == 1 && w.SW == 1 && w.DH == 1 && w.DW == 1
            && w.PH <= 2 && w.PW <= 2;
    }

    /// <summary>
    /// The convolution whose forward pass is this one's input gradient: output and input swapped,
    /// padding <c>2 − p</c>, the kernel rotated by 180° and its channels swapped (<see cref="PackWeights"/> with adjoint).
    /// </summary>
    public static ConvolutionLayout Adjoint(in ConvolutionLayout layout)
    {
        Window3 w = layout.Window;
        return new ConvolutionLayout(layout.Batch, layout.OutputChannels, layout.InputChannels, layout.Groups,
            w with { InH = w.OutH, InW = w.OutW, OutH = w.InH, OutW = w.InW, PH = 2 - w.PH, PW = 2 - w.PW });
    }

    /// <summary>
    /// Packs <c>U = G g Gᵀ</c>: per group, ξ and vector group, <c>[input block][c][j][lane]</c>. With
    /// <paramref name="adjoint"/> the kernel is read as the adjoint convolution's: <c>g'[o][i] = rot180(weight[i][o])</c>.
    /// </summary>
    /// <param name="weight">Shape [C_out, C_in/groups, 3, 3] of the original convolution.</param>
    /// <param name="packed">16·<see cref="PanelSize"/> floats per group.</param>
    /// <param name="adjoint">True when this plan is the adjoint of the weight's convolution.</param>
    public void PackWeights(ReadOnlySpan<float> weight, Span<float> packed, bool adjoint)
    {
        int outBlocks = OutputFrame.Blocks, inBlocks = InputFrame.Blocks;
        Span<float> kernel = stackalloc float[9];
        Span<double> u = stackalloc double[16];
        packed[..(16 * PanelSize * Layout.Groups)].Clear();
        var groupOf = new (int First, int Count)[outBlocks];
        foreach (var (first, vectors) in Tile.VectorGroups(outBlocks))
        {
            groupOf.AsSpan(first, vectors).Fill((first, vectors));
        }
        for (int g = 0; g < Layout.Groups; g++)
        {
            for (int o = 0; o < OutChannels; o++)
            {
                for (int i = 0; i < InChannels; i++)
                {
                    ReadKernel(weight, g, o, i, adjoint, kernel);
                    WinogradTransforms.Weight(kernel, u);
                    int outBlock = o / Lanes, inBlock = i / Lanes;
                    var (first, vectors) = groupOf[outBlock];
                    int inPanel = (((inBlock * InDepth) + (i % Lanes)) * vectors + (outBlock - first)) * Lanes + (o % Lanes);
                    for (int xi = 0; xi < 16; xi++)
                    {
                        packed[(((g * 16) + xi) * PanelSize) + (inBlocks * InDepth * first * Lanes) + inPanel] = (float)u[xi];
                    }
                }
            }
        }
    }

    /// <summary>Where the packed weights of ξ and the vector group starting at output block <paramref name="first"/> begin, within a group's packing.</summary>
    public int Panel(int xi, int first) => (xi * PanelSize) + (InputFrame.Blocks * InDepth * first * Lanes);

    /// <summary>Adds a group's summed blocked gradient (<see cref="GradientGroupSize"/> floats) into <paramref name="gradWeight"/>, through <c>Gᵀ z G</c>.</summary>
    public void AddGradient(ReadOnlySpan<float> blocked, int group, Span<float> gradWeight)
    {
        Span<double> z = stackalloc double[16], kernel = stackalloc double[9];
        int inBlocks = InputFrame.Blocks, square = Lanes * Lanes;
        for (int o = 0; o < OutChannels; o++)
        {
            for (int i = 0; i < InChannels; i++)
            {
                int source = (((o / Lanes * inBlocks) + (i / Lanes)) * square) + (i % Lanes * Lanes) + (o % Lanes);
                for (int xi = 0; xi < 16; xi++)
                {
                    z[xi] = blocked[(xi * OutputFrame.Blocks * inBlocks * square) + source];
                }
                WinogradTransforms.WeightGradient(z, kernel);
                Span<float> target = gradWeight.Slice((((group * OutChannels) + o) * InChannels + i) * 9, 9);
                for (int t = 0; t < 9; t++)
                {
                    target[t] += (float)kernel[t];
                }
            }
        }
    }

    private void ReadKernel(ReadOnlySpan<float> weight, int g, int o, int i, bool adjoint, Span<float> kernel)
    {
        if (!adjoint)
        {
            weight.Slice((((g * OutChannels) + o) * InChannels + i) * 9, 9).CopyTo(kernel);
            return;
        }
        // The adjoint's output channel o is the original's input channel: weight[g, i, o] rotated by 180°.
        ReadOnlySpan<float> original = weight.Slice((((g * InChannels) + i) * OutChannels + o) * 9, 9);
        for (int t = 0; t < 9; t++)
        {
            kernel[t] = original[8 - t];
        }
    }
}
