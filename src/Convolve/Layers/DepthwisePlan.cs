using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The geometry of <see cref="DepthwiseConvolution"/> for one layout and SIMD level. A channel's input
/// plane becomes a <em>frame</em>: zero-padded to <c>FrameH × FrameW</c> and split into
/// <c>SH·SW</c> stride phases of <c>PhaseH × PhaseW</c> (phase (a, b) holds frame rows a, a+SH, … and
/// columns b, b+SW, …), phase after phase. Output (oh, ow) then reads tap (kh, kw) at
/// <c>phase(kh·DH mod SH, kw·DW mod SW)[oh + ⌊kh·DH/SH⌋, ow + ⌊kw·DW/SW⌋]</c>, so with the outputs
/// flattened at the phase's row length (<c>j = oh·PhaseW + ow</c>; columns past OutW are computed and
/// discarded) every tap is one offset added to j. The input gradient is the same correlation read the
/// other way: each phase of the input gradient's frame gathers, from the output gradient laid out at
/// that row length with zeros between rows and a zero lead of <see cref="Lead"/>, the taps of its phase.
/// </summary>
internal sealed class DepthwisePlan
{
    public DepthwisePlan(in ConvolutionLayout layout, SimdLevel level)
    {
        Layout = layout;
        Level = level;
        Window3 w = layout.Window;
        Multiplier = layout.OutputChannels / layout.InputChannels;
        Taps = w.KH * w.KW;
        int frameH = Math.Max(w.PH + w.InH, ((w.OutH - 1) * w.SH) + ((w.KH - 1) * w.DH) + 1);
        int frameW = Math.Max(w.PW + w.InW, ((w.OutW - 1) * w.SW) + ((w.KW - 1) * w.DW) + 1);
        PhaseH = (frameH + w.SH - 1) / w.SH;
        PhaseW = (frameW + w.SW - 1) / w.SW;
        PhaseSize = PhaseH * PhaseW;
        Tile = DepthwiseKernel.Tile(level);
        FrameSize = (w.SH * w.SW * PhaseSize) + Tile;
        OutputSpan = RoundUp(((w.OutH - 1) * PhaseW) + w.OutW);
        PhaseSpan = RoundUp(PhaseSize);
        ForwardOffsets = new int[Taps];
        var phaseTaps = new List<int>[w.SH * w.SW];
        for (int phase = 0; phase < phaseTaps.Length; phase++)
        {
            phaseTaps[phase] = [];
        }
        for (int kh = 0; kh < w.KH; kh++)
        {
            for (int kw = 0; kw < w.KW; kw++)
            {
                int phase = ((kh * w.DH % w.SH) * w.SW) + (kw * w.DW % w.SW), shift = (kh * w.DH / w.SH * PhaseW) + (kw * w.DW / w.SW);
                ForwardOffsets[(kh * w.KW) + kw] = (phase * PhaseSize) + shift;
                phaseTaps[phase].Add((kh * w.KW) + kw);
                Lead = Math.Max(Lead, shift);
            }
        }
        PhaseTaps = [.. phaseTaps.Select(list => list.ToArray())];
        BackwardOffsets = [.. PhaseTaps.Select(taps => taps.Select(t => Lead - (ForwardOffsets[t] % PhaseSize)).ToArray())];
        BackwardOrder = [.. PhaseTaps.SelectMany(taps => taps)];
        GradientSize = Lead + PhaseSpan + Tile;
    }

    public ConvolutionLayout Layout { get; }

    public SimdLevel Level { get; }

    /// <summary>Output channels per input channel (the channel multiplier k: output o reads input o / k).</summary>
    public int Multiplier { get; }

    /// <summary>Kernel taps, <c>KH·KW</c>, in the weight's row-major order.</summary>
    public int Taps { get; }

    public int PhaseH { get; }

    /// <summary>The row length of a phase, and of every flattened run.</summary>
    public int PhaseW { get; }

    public int PhaseSize { get; }

    /// <summary>Floats of one tile of the kernel: every run is rounded up to it.</summary>
    public int Tile { get; }

    /// <summary>Floats of a frame: every phase, and a tile of zeros that the last outputs' reads run into.</summary>
    public int FrameSize { get; }

    /// <summary>The flattened outputs of one plane, <c>(OutH − 1)·PhaseW + OutW</c>, rounded up to a tile.</summary>
    public int OutputSpan { get; }

    /// <summary>One phase of the input gradient's frame, rounded up to a tile: its place in the result.</summary>
    public int PhaseSpan { get; }

    /// <summary>Per tap (weight order), its offset in the frame from output j's position.</summary>
    public int[] ForwardOffsets { get; }

    /// <summary>Per phase, the taps that read it.</summary>
    public int[][] PhaseTaps { get; }

    /// <summary>Per phase, per tap of it, where the output gradient it gathers starts in the gradient run (<see cref="Lead"/> − shift).</summary>
    public int[][] BackwardOffsets { get; }

    /// <summary>The taps phase by phase: the order the input gradient reads one channel's weights in.</summary>
    public int[] BackwardOrder { get; }

    /// <summary>The largest shift of a tap within its phase: the zeros before the output gradient's run.</summary>
    public int Lead { get; }

    /// <summary>Floats of the output gradient's run for the input gradient: the lead, a phase, a tile.</summary>
    public int GradientSize { get; }

    /// <summary>Multiply-adds of one output plane, the unit of work handed to the threads.</summary>
    public long PlaneWork => (long)Taps * Layout.Window.OutputPlane;

    /// <summary>Writes the frame of one input plane (Shape [InH, InW]): zero padding, stride phases, a tile of zeros after.</summary>
    public void PackFrame(ReadOnlySpan<float> plane, Span<float> frame)
    {
        Window3 w = Layout.Window;
        if (w.SH == 1 && w.SW == 1)
        {
            // Only the padding is cleared: the rows above and below, and each row's margins.
            frame[..(w.PH * PhaseW)].Clear();
            for (int ih = 0; ih < w.InH; ih++)
            {
                Span<float> row = frame.Slice((ih + w.PH) * PhaseW, PhaseW);
                row[..w.PW].Clear();
                plane.Slice(ih * w.InW, w.InW).CopyTo(row[w.PW..]);
                row[(w.PW + w.InW)..].Clear();
            }
            frame[((w.PH + w.InH) * PhaseW)..FrameSize].Clear();
            return;
        }
        frame[..FrameSize].Clear();
        for (int ih = 0; ih < w.InH; ih++)
        {
            int r = ih + w.PH;
            Span<float> phaseRow = frame[((r % w.SH * w.SW * PhaseSize) + (r / w.SH * PhaseW))..];
            ReadOnlySpan<float> row = plane.Slice(ih * w.InW, w.InW);
            for (int b = 0; b < w.SW; b++)
            {
                // Phase b holds frame columns j·SW + b, input columns j·SW + b − PW.
                var (first, end) = PhaseColumns(b, w.SW, w.PW, w.InW);
                Span<float> target = phaseRow.Slice(b * PhaseSize, end);
                for (int j = first, iw = (first * w.SW) + b - w.PW; j < end; j++, iw += w.SW)
                {
                    target[j] = row[iw];
                }
            }
        }
    }

    /// <summary>The phase columns [first, end) of phase <paramref name="b"/> that hold input columns: <c>0 ≤ j·stride + b − pad &lt; size</c>.</summary>
    private static (int First, int End) PhaseColumns(int b, int stride, int pad, int size)
    {
        int first = pad > b ? (pad - b + stride - 1) / stride : 0;
        int end = (size + pad - b + stride - 1) / stride;
        return (first, Math.Max(first, end));
    }

    /// <summary>Writes one output-gradient plane (Shape [OutH, OutW]) as a run at row length PhaseW after <paramref name="lead"/> zeros, zeros elsewhere up to <paramref name="length"/>.</summary>
    public void PackGradient(ReadOnlySpan<float> plane, Span<float> run, int lead, int length)
    {
        Window3 w = Layout.Window;
        run[..length].Clear();
        for (int oh = 0; oh < w.OutH; oh++)
        {
            plane.Slice(oh * w.OutW, w.OutW).CopyTo(run[(lead + (oh * PhaseW))..]);
        }
    }

    /// <summary>Moves the input gradient's phases (each at a multiple of <see cref="PhaseSpan"/>) into its plane, Shape [InH, InW], adding <paramref name="bias"/>.</summary>
    public unsafe void UnpackInputGradient(float* phases, float* plane, float bias)
    {
        Window3 w = Layout.Window;
        if (w.SH == 1 && w.SW == 1)
        {
            DepthwiseKernel.StoreRows(Level, phases + (w.PH * PhaseW) + w.PW, PhaseW, plane, w.InH, w.InW, bias, relu: false);
            return;
        }
        for (int ih = 0; ih < w.InH; ih++)
        {
            int r = ih + w.PH;
            float* phaseRow = phases + (r % w.SH * w.SW * PhaseSpan) + (r / w.SH * PhaseW), row = plane + (ih * w.InW);
            for (int b = 0; b < w.SW; b++)
            {
                var (first, end) = PhaseColumns(b, w.SW, w.PW, w.InW);
                float* source = phaseRow + (b * PhaseSpan);
                for (int j = first, iw = (first * w.SW) + b - w.PW; j < end; j++, iw += w.SW)
                {
                    row[iw] = source[j] + bias;
                }
            }
        }
    }

    private int RoundUp(int count) => (count + Tile - 1) / Tile * Tile;
}
