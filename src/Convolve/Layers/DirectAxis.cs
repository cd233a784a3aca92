using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// One spatial axis of a direct convolution (<see cref="DirectConvolution"/>) in the
/// convolution's own direction: <c>In</c> input positions, <c>Out</c> output positions, and
/// output o reading padded input position <c>q = o·Stride + k·Dilation</c> for tap k (input
/// position <c>q − Pad</c>). Works out where each pass finds its operands in the blocked frames.
/// </summary>
internal readonly record struct DirectAxis(int In, int Out, int Kernel, int Stride, int Pad, int Dilation)
{
    /// <summary>
    /// Padded positions the frame keeps: every position a forward tap reads and every input
    /// position (an input the floor of the output arithmetic leaves unread still gets a gradient, zero).
    /// </summary>
    public int Extent => Math.Max(((Out - 1) * Stride) + ((Kernel - 1) * Dilation) + 1, In + Pad);

    /// <summary>The input's frame axis: padded by <see cref="Pad"/>, split into <see cref="Stride"/> phases, packing only the phases some tap reads.</summary>
    public FrameAxis InputAxis => new(In, Pad, Stride, CeilDiv(Extent, Stride), ReadPhases);

    /// <summary>Bit p set when some tap reads phase p.</summary>
    private int ReadPhases
    {
        get
        {
            int mask = 0;
            for (int k = 0; k < Kernel; k++)
            {
                mask |= 1 << TapPhase(k);
            }
            return mask;
        }
    }

    /// <summary>The output's frame axis, unpadded.</summary>
    public FrameAxis OutputAxis => FrameAxis.Plain(Out);

    /// <summary>
    /// Zeros in front of the output gradient, <c>⌊(Kernel − 1)·Dilation / Stride⌋</c>: with them every
    /// tap's output-gradient index <c>t − ⌊k·d/S⌋</c> for input-gradient position t is non-negative.
    /// </summary>
    public int Margin => (Kernel - 1) * Dilation / Stride;

    /// <summary>The output gradient's frame axis: <see cref="Margin"/> zeros before, enough after for the last input-gradient position.</summary>
    public FrameAxis GradAxis => new(Out, Margin, 1, Math.Max(Out + Margin, FloorDiv(Pad + In - 1, Stride) + Margin + 1));

    /// <summary>The phase tap k reads in the input frame: <c>(k·Dilation) mod Stride</c>.</summary>
    public int TapPhase(int k) => k * Dilation % Stride;

    /// <summary>How far tap k reads ahead within its phase: <c>⌊k·Dilation / Stride⌋</c>.</summary>
    public int TapShift(int k) => k * Dilation / Stride;

    /// <summary>
    /// The positions t of input-gradient phase <paramref name="phase"/> that are real inputs
    /// (padded position <c>phase + Stride·t</c> minus <see cref="Pad"/> in <c>[0, In)</c>), as [First, End).
    /// Tap k contributes to this phase exactly when <see cref="TapPhase"/>(k) equals it.
    /// </summary>
    public (int First, int End) PhaseRange(int phase) =>
        (Math.Max(0, CeilDiv(Pad - phase, Stride)), Math.Max(0, FloorDiv(Pad + In - 1 - phase, Stride) + 1));

    /// <summary>The axes of a window, depth first.</summary>
    public static (DirectAxis D, DirectAxis H, DirectAxis W) Of(in Window3 w) => (
        new(w.InD, w.OutD, w.KD, w.SD, w.PD, w.DD),
        new(w.InH, w.OutH, w.KH, w.SH, w.PH, w.DH),
        new(w.InW, w.OutW, w.KW, w.SW, w.PW, w.DW));

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static int CeilDiv(int a, int b) => -FloorDiv(-a, b);
}
