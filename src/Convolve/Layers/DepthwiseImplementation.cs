using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Depthwise convolution (<see cref="DepthwiseConvolution"/>): 2-d and 1-d layers with groups = C_in and
/// C_out a multiple of C_in, every pass; elsewhere it does not apply and a pinned choice falls back to the rule.
/// </summary>
internal sealed class DepthwiseImplementation : ConvolutionImplementation
{
    /// <summary>
    /// Ranked before every other algorithm where it applies: they reduce over one input channel per group, which
    /// leaves a GEMM or a channel-blocked microkernel almost empty (docs/BENCHMARKS.md, "Issue 19", has the measured ratios).
    /// </summary>
    public const double DepthwiseCost = 0.1;

    public override ConvolutionAlgorithm Algorithm => ConvolutionAlgorithm.Depthwise;

    public override string Summary => "per-channel planes vectorised along the width, for groups = in_channels; other layers run auto's choice";

    public override bool Applies(in ConvolutionLayout layout, ConvolutionPass pass) => DepthwiseConvolution.Applies(layout);

    /// <summary>The padded, phase-split frame of one channel and one flattened output plane, per thread.</summary>
    public override long WorkspaceBytes(in ConvolutionLayout layout, SimdLevel level)
    {
        var plan = new DepthwisePlan(layout, level);
        return sizeof(float) * ((long)plan.FrameSize + plan.OutputSpan);
    }

    /// <summary>Not measured: a layer of one input channel (groups = C_in = 1, a gray image's first layer) is left to the others' rule.</summary>
    public const double OneChannelCost = 3;

    /// <summary><see cref="DepthwiseCost"/> for groups above 1; <see cref="OneChannelCost"/> for an ordinary convolution of one input channel.</summary>
    public override double ExpectedCost(in ConvolutionLayout layout, ConvolutionPass pass, SimdLevel level) =>
        layout.Groups > 1 ? DepthwiseCost : OneChannelCost;

    public override IConvolutionAlgorithm Create() => new DepthwiseConvolution();
}
