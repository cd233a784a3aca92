namespace Convolve.Layers;

/// <summary>
/// One stride phase of the input gradient in <see cref="DirectConvolution"/>: the input positions
/// whose padded coordinates are <c>(PD, PH, PW) + Stride·t</c>. Only the taps with
/// <c>(k·Dilation) mod Stride</c> equal to the phase reach them, and for those the input gradient is
/// a unit-stride correlation of the padded output gradient: position t reads
/// <c>t + Margin − ⌊k·Dilation / Stride⌋</c> (<see cref="DirectAxis"/>). A stride-1 convolution
/// has one phase with every tap, the 180°-rotated kernel of the textbook derivation.
/// </summary>
/// <param name="PD">Depth phase.</param>
/// <param name="PH">Height phase.</param>
/// <param name="PW">Width phase.</param>
/// <param name="Taps">The taps of this phase, as indices into the kernel volume.</param>
/// <param name="Offsets">Segment offsets in the gradient frame, <c>[output block][phase tap]</c>.</param>
/// <param name="RangeD">Positions t along depth that are real inputs, [First, End).</param>
/// <param name="RangeH">The same along height.</param>
/// <param name="RangeW">The same along width.</param>
/// <param name="PanelStart">Where this phase's weights begin within a group's input-gradient packing.</param>
internal sealed record DirectPhase(
    int PD, int PH, int PW, int[] Taps, int[] Offsets,
    (int First, int End) RangeD, (int First, int End) RangeH, (int First, int End) RangeW, int PanelStart)
{
    /// <summary>Segments of the phase: output blocks × phase taps.</summary>
    public int Segments => Offsets.Length;

    /// <summary>Where the weights of the vector group starting at input block <paramref name="firstBlock"/> begin within a group's packing.</summary>
    public int Panel(int firstBlock, int depth, int lanes) => PanelStart + (Segments * depth * firstBlock * lanes);

    /// <summary>Every phase of a plan, depth phase first.</summary>
    public static DirectPhase[] All(DirectPlan plan)
    {
        var phases = new List<DirectPhase>();
        int panel = 0, outBlocks = plan.OutputFrame.Blocks;
        for (int pd = 0; pd < plan.D.Stride; pd++)
        {
            for (int ph = 0; ph < plan.H.Stride; ph++)
            {
                for (int pw = 0; pw < plan.W.Stride; pw++)
                {
                    int[] taps = Enumerable.Range(0, plan.Taps).Where(tap => Reaches(plan, tap, pd, ph, pw)).ToArray();
                    var offsets = new int[outBlocks * taps.Length];
                    for (int s = 0; s < offsets.Length; s++)
                    {
                        var (kd, kh, kw) = Split(plan, taps[s % taps.Length]);
                        offsets[s] = (s / taps.Length * plan.GradFrame.BlockSize) + plan.GradFrame.Offset(
                            0, 0, 0, plan.D.Margin - plan.D.TapShift(kd), plan.H.Margin - plan.H.TapShift(kh), plan.W.Margin - plan.W.TapShift(kw));
                    }
                    phases.Add(new DirectPhase(pd, ph, pw, taps, offsets, plan.D.PhaseRange(pd), plan.H.PhaseRange(ph), plan.W.PhaseRange(pw), panel));
                    panel += offsets.Length * plan.OutDepth * plan.InputFrame.Blocks * plan.Lanes;
                }
            }
        }
        return [.. phases];
    }

    private static bool Reaches(DirectPlan plan, int tap, int pd, int ph, int pw)
    {
        var (kd, kh, kw) = Split(plan, tap);
        return plan.D.TapPhase(kd) == pd && plan.H.TapPhase(kh) == ph && plan.W.TapPhase(kw) == pw;
    }

    private static (int KD, int KH, int KW) Split(DirectPlan plan, int tap) =>
        (tap / (plan.W.Kernel * plan.H.Kernel), tap / plan.W.Kernel % plan.H.Kernel, tap % plan.W.Kernel);
}
