using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Everything <see cref="DirectConvolution"/> works out once per layout and SIMD level: the
/// blocked frames of one image-group (input, output, padded output gradient), the segment offsets
/// the microkernels read (one per input-channel block and tap for the forward pass; per stride
/// phase for the input gradient), the tile shapes, and the weight packings. Channels are per
/// group: a group is an independent convolution of <see cref="InChannels"/> → <see cref="OutChannels"/>.
/// </summary>
internal sealed class DirectPlan
{
    public DirectPlan(in ConvolutionLayout layout, SimdLevel level)
    {
        Layout = layout;
        Level = level;
        Lanes = level switch { SimdLevel.Vector512 => 16, SimdLevel.Vector256 => 8, SimdLevel.Vector128 => 4, _ => 1 };
        (D, H, W) = DirectAxis.Of(layout.Window);
        InChannels = layout.InputChannels / layout.Groups;
        OutChannels = layout.OutputChannels / layout.Groups;
        Taps = layout.Window.KernelVolume;
        InputFrame = new BlockedFrame(Lanes, InChannels, D.InputAxis, H.InputAxis, W.InputAxis);
        OutputFrame = new BlockedFrame(Lanes, OutChannels, D.OutputAxis, H.OutputAxis, W.OutputAxis);
        GradFrame = new BlockedFrame(Lanes, OutChannels, D.GradAxis, H.GradAxis, W.GradAxis);
        InDepth = Math.Min(Lanes, InChannels);
        OutDepth = Math.Min(Lanes, OutChannels);
        ForwardOffsets = BuildForwardOffsets();
        Phases = DirectPhase.All(this);
        int registers = level == SimdLevel.Vector512 ? 32 : 16;
        ForwardTile = DirectTile.Choose(OutputFrame.Blocks, W.Out, registers);
        BackwardTile = DirectTile.Choose(InputFrame.Blocks, Phases.Max(phase => phase.RangeW.End - phase.RangeW.First), registers);
        WeightChannels = Math.Min(level == SimdLevel.Vector512 ? DirectWeightMicrokernel.MaxChannels : 4, InDepth);
        WeightVectors = DirectWeightMicrokernel.BalancedVectors(OutputFrame.Blocks);
    }

    public ConvolutionLayout Layout { get; }

    public SimdLevel Level { get; }

    /// <summary>Floats per vector, the channel block.</summary>
    public int Lanes { get; }

    public DirectAxis D { get; }

    public DirectAxis H { get; }

    public DirectAxis W { get; }

    /// <summary>Input channels of one group.</summary>
    public int InChannels { get; }

    /// <summary>Output channels of one group.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel taps, <c>KD·KH·KW</c>.</summary>
    public int Taps { get; }

    /// <summary>One image-group's input (or input gradient): padded and split into stride phases.</summary>
    public BlockedFrame InputFrame { get; }

    /// <summary>One image-group's output.</summary>
    public BlockedFrame OutputFrame { get; }

    /// <summary>One image-group's output gradient, padded so every input-gradient phase is a unit-stride correlation.</summary>
    public BlockedFrame GradFrame { get; }

    /// <summary>Input channels per forward segment: a whole block, or all channels when they fit in one.</summary>
    public int InDepth { get; }

    /// <summary>Output channels per input-gradient segment.</summary>
    public int OutDepth { get; }

    /// <summary>Forward segment offsets in the input frame, <c>[input block][tap]</c>.</summary>
    public int[] ForwardOffsets { get; }

    /// <summary>The stride phases of the input gradient, each with its taps and segment offsets.</summary>
    public DirectPhase[] Phases { get; }

    /// <summary>Forward tiles: output-channel vectors × output pixels of a row.</summary>
    public DirectTile ForwardTile { get; }

    /// <summary>Input-gradient tiles: input-channel vectors × phase pixels of a row.</summary>
    public DirectTile BackwardTile { get; }

    /// <summary>Input channels per weight-gradient tile.</summary>
    public int WeightChannels { get; }

    /// <summary>Most output-channel vectors per weight-gradient tile (<see cref="DirectWeightMicrokernel.BalancedVectors"/>).</summary>
    public int WeightVectors { get; }

    /// <summary>Floats of one group's forward weight packing.</summary>
    public int ForwardGroupSize => InputFrame.Blocks * Taps * InDepth * OutputFrame.Blocks * Lanes;

    /// <summary>Floats of one group's input-gradient weight packing.</summary>
    public int BackwardGroupSize => OutputFrame.Blocks * Taps * OutDepth * InputFrame.Blocks * Lanes;

    /// <summary>Floats of one group's blocked weight gradient, <c>[out block][in block][tap][Lanes][Lanes]</c>.</summary>
    public int GradientGroupSize => OutputFrame.Blocks * InputFrame.Blocks * Taps * Lanes * Lanes;

    /// <summary>Multiply-adds of one image-group in one pass, for the thread split.</summary>
    public long ImageWork => (long)InChannels * OutChannels * Taps * D.Out * H.Out * W.Out;

    /// <summary>Where the forward weights of the vector group starting at output block <paramref name="firstBlock"/> begin within a group's packing.</summary>
    public int ForwardPanel(int firstBlock) => InputFrame.Blocks * Taps * InDepth * firstBlock * Lanes;

    /// <summary>
    /// Packs the forward weights: per group and vector group, <c>[input block][tap][c][j][lane]</c>
    /// = <c>weight[g, (firstBlock + j)·Lanes + lane, block·Lanes + c, tap]</c>, zero for missing channels.
    /// The packing is written in order, reading each output channel's row of the weight from a table of row
    /// starts (it runs once per forward call of a training step, so it is a measured share of a small layer's pass).
    /// </summary>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="packed"><see cref="ForwardGroupSize"/> floats per group.</param>
    public unsafe void PackForward(ReadOnlySpan<float> weight, Span<float> packed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight.Length, Layout.Groups * OutChannels * InChannels * Taps, nameof(weight));
        ArgumentOutOfRangeException.ThrowIfLessThan(packed.Length, Layout.Groups * ForwardGroupSize, nameof(packed));
        int segments = InputFrame.Blocks * Taps, row = InChannels * Taps;
        Span<int> rows = stackalloc int[DirectMicrokernel.MaxVectors * Lanes];
        fixed (float* source = weight, target = packed)
        {
            for (int g = 0; g < Layout.Groups; g++)
            {
                foreach (var (first, vectors) in ForwardTile.VectorGroups(OutputFrame.Blocks))
                {
                    int width = vectors * Lanes;
                    for (int k = 0; k < width; k++)
                    {
                        int oc = (first * Lanes) + k;
                        rows[k] = oc < OutChannels ? ((g * OutChannels) + oc) * row : -1;
                    }
                    float* panel = target + ((long)g * ForwardGroupSize) + ForwardPanel(first);
                    for (int s = 0; s < segments; s++)
                    {
                        int inBlock = s / Taps, tap = s % Taps;
                        for (int c = 0; c < InDepth; c++, panel += width)
                        {
                            int ic = (inBlock * Lanes) + c, column = (ic * Taps) + tap;
                            for (int k = 0; k < width; k++)
                            {
                                panel[k] = ic < InChannels && rows[k] >= 0 ? source[rows[k] + column] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs the input-gradient weights: per group, phase and vector group of input blocks,
    /// <c>[output block][phase tap][k][j][lane]</c> = <c>weight[g, block·Lanes + k, (firstBlock + j)·Lanes + lane, tap]</c>,
    /// written in order like <see cref="PackForward"/>.
    /// </summary>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="packed"><see cref="BackwardGroupSize"/> floats per group.</param>
    public unsafe void PackBackward(ReadOnlySpan<float> weight, Span<float> packed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight.Length, Layout.Groups * OutChannels * InChannels * Taps, nameof(weight));
        ArgumentOutOfRangeException.ThrowIfLessThan(packed.Length, Layout.Groups * BackwardGroupSize, nameof(packed));
        fixed (float* source = weight, target = packed)
        {
            for (int g = 0; g < Layout.Groups; g++)
            {
                foreach (DirectPhase phase in Phases)
                {
                    foreach (var (first, vectors) in BackwardTile.VectorGroups(InputFrame.Blocks))
                    {
                        int width = vectors * Lanes, channels = Math.Min(width, InChannels - (first * Lanes));
                        float* panel = target + ((long)g * BackwardGroupSize) + phase.Panel(first, OutDepth, Lanes);
                        for (int s = 0; s < phase.Segments; s++)
                        {
                            int outBlock = s / phase.Taps.Length, tap = phase.Taps[s % phase.Taps.Length];
                            for (int k = 0; k < OutDepth; k++, panel += width)
                            {
                                int oc = (outBlock * Lanes) + k;
                                if (oc >= OutChannels)
                                {
                                    new Span<float>(panel, width).Clear();
                                    continue;
                                }
                                float* channel = source + ((((long)(g * OutChannels) + oc) * InChannels + (first * Lanes)) * Taps) + tap;
                                for (int m = 0; m < channels; m++)
                                {
                                    panel[m] = channel[m * Taps];
                                }
                                new Span<float>(panel + channels, width - channels).Clear();
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds a group's blocked weight gradient (<see cref="GradientGroupSize"/> floats) into <paramref name="gradWeight"/> (Shape [C_out, C_in/groups, k...]).</summary>
    public void AddGradient(ReadOnlySpan<float> blocked, int group, Span<float> gradWeight)
    {
        for (int oc = 0; oc < OutChannels; oc++)
        {
            for (int ic = 0; ic < InChannels; ic++)
            {
                Span<float> taps = gradWeight.Slice((((group * OutChannels) + oc) * InChannels + ic) * Taps, Taps);
                int source = (((oc / Lanes * InputFrame.Blocks) + (ic / Lanes)) * Taps * Lanes * Lanes) + (ic % Lanes * Lanes) + (oc % Lanes);
                for (int tap = 0; tap < Taps; tap++)
                {
                    taps[tap] += blocked[source + (tap * Lanes * Lanes)];
                }
            }
        }
    }

    private int[] BuildForwardOffsets()
    {
        var offsets = new int[InputFrame.Blocks * Taps];
        for (int s = 0; s < offsets.Length; s++)
        {
            int tap = s % Taps, kw = tap % W.Kernel, kh = tap / W.Kernel % H.Kernel, kd = tap / (W.Kernel * H.Kernel);
            offsets[s] = (s / Taps * InputFrame.BlockSize) + InputFrame.Offset(
                D.TapPhase(kd), H.TapPhase(kh), W.TapPhase(kw), D.TapShift(kd), H.TapShift(kh), W.TapShift(kw));
        }
        return offsets;
    }
}
