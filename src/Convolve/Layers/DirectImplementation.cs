using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Direct convolution on channel-blocked frames (<see cref="DirectConvolution"/>): every layout and
/// pass; fast where the channels fill the vector lanes.
/// </summary>
internal sealed class DirectImplementation : ConvolutionImplementation
{
    /// <summary>Measured forward cost beside im2col's: 82–96 % of the FMA peak against 37–39 % (bench passes, Conv2d(32,64,5) and Conv2d(64,128,3)).</summary>
    public const double FilledLanesCost = 0.45;

    /// <summary>Measured for a gray image's first layer, forward: 0.63 against 1.20 ms for Conv2d(1,32,5) on 64 images of 28×28.</summary>
    public const double OneInputChannelForwardCost = 0.53;

    /// <summary>Not measured: with the lanes mostly padding it is ranked after im2col.</summary>
    public const double EmptyLanesCost = 2;

    public override ConvolutionAlgorithm Algorithm => ConvolutionAlgorithm.Direct;

    public override string Summary => "register-blocked microkernels on channel-blocked frames";

    public override bool Applies(in ConvolutionLayout layout, ConvolutionPass pass) => true;

    /// <summary>The blocked input and output frames of one image, for every group.</summary>
    public override long WorkspaceBytes(in ConvolutionLayout layout, SimdLevel level) =>
        sizeof(float) * (long)layout.Groups * DirectConvolution.ImageFrameSize(layout, level);

    /// <summary>
    /// Cheap when the channels per group on both sides fill at least half a vector; and for the
    /// forward pass of a convolution with one input channel per group (each tap is one multiply-add
    /// step of a full register tile), while its gradients would fill one lane of the vector.
    /// </summary>
    public override double ExpectedCost(in ConvolutionLayout layout, ConvolutionPass pass, SimdLevel level)
    {
        int inChannels = layout.InputChannels / layout.Groups, outChannels = layout.OutputChannelsPerGroup;
        if (ConvolutionAlgorithms.FillsLanes(inChannels, level) && ConvolutionAlgorithms.FillsLanes(outChannels, level))
        {
            return FilledLanesCost;
        }
        return pass == ConvolutionPass.Forward && inChannels == 1 && ConvolutionAlgorithms.FillsLanes(outChannels, level)
            ? OneInputChannelForwardCost
            : EmptyLanesCost;
    }

    public override IConvolutionAlgorithm Create() => new DirectConvolution();
}
