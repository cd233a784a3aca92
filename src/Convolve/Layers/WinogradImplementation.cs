using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Winograd F(2×2, 3×3) (<see cref="WinogradConvolution"/>): 2-d 3×3 stride-1 undilated layers with
/// padding at most 2 (<see cref="WinogradPlan.Applies"/>), reusing the direct microkernels, so it
/// is fast where direct convolution is and the output is large enough for whole tiles.
/// </summary>
internal sealed class WinogradImplementation : ConvolutionImplementation
{
    /// <summary>Measured on 14×14 and 28×28 outputs: 127–130 % of direct's speed in all three passes (bench passes), so direct's cost / 1.28.</summary>
    public const double LargeOutputCost = DirectImplementation.FilledLanesCost / 1.28;

    /// <summary>On a 7×7 output it lost to direct (a quarter of its 16 tiles cut by the edge); not measured as a ratio, ranked after direct.</summary>
    public const double SmallOutputCost = DirectImplementation.FilledLanesCost * 1.3;

    /// <summary>Not measured: where direct's lanes are mostly padding, so are Winograd's; ranked after direct and im2col.</summary>
    public const double EmptyLanesCost = DirectImplementation.EmptyLanesCost * 1.25;

    public override ConvolutionAlgorithm Algorithm => ConvolutionAlgorithm.Winograd;

    public override string Summary => "F(2×2, 3×3) for 2-d 3×3 stride-1 layers; other layers run auto's choice";

    public override bool Applies(in ConvolutionLayout layout, ConvolutionPass pass) => WinogradPlan.Applies(layout);

    /// <summary>The frames, transformed tiles and products of one image, for every group.</summary>
    public override long WorkspaceBytes(in ConvolutionLayout layout, SimdLevel level) =>
        sizeof(float) * (long)layout.Groups * WinogradConvolution.ImageWorkspaceSize(layout, level);

    /// <summary>Below direct's cost where direct is cheap and the output is at least <see cref="ConvolutionAlgorithms.MinWinogradSide"/> on both sides.</summary>
    public override double ExpectedCost(in ConvolutionLayout layout, ConvolutionPass pass, SimdLevel level)
    {
        int inChannels = layout.InputChannels / layout.Groups, outChannels = layout.OutputChannelsPerGroup;
        if (!ConvolutionAlgorithms.FillsLanes(inChannels, level) || !ConvolutionAlgorithms.FillsLanes(outChannels, level))
        {
            return EmptyLanesCost;
        }
        return layout.Window.OutH >= ConvolutionAlgorithms.MinWinogradSide && layout.Window.OutW >= ConvolutionAlgorithms.MinWinogradSide
            ? LargeOutputCost
            : SmallOutputCost;
    }

    public override IConvolutionAlgorithm Create() => new WinogradConvolution();
}
