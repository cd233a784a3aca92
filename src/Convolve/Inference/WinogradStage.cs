using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Inference;

/// <summary>
/// A Winograd F(2×2, 3×3) convolution as a <see cref="BlockedStage"/>: input tile transform, the 16 products,
/// output tile transform, with the transformed tiles and products in the stage's scratch.
/// </summary>
internal sealed unsafe class WinogradStage : BlockedStage
{
    private readonly WinogradPlan plan;
    private readonly float[] packed;

    public WinogradStage(string description, WinogradPlan plan, float[] weight)
        : base(description, plan.InputFrame, plan.OutputFrame)
    {
        this.plan = plan;
        packed = new float[16 * plan.PanelSize];
        plan.PackWeights(weight, packed, adjoint: false);
    }

    /// <inheritdoc/>
    public override int ScratchFloats => checked((int)(16 * (plan.InputStride + plan.OutputStride)));

    /// <inheritdoc/>
    public override long ImageWork => plan.ImageWork;

    /// <inheritdoc/>
    public override bool SplitsImages => WinogradConvolution.SplitsImages(plan);

    /// <inheritdoc/>
    public override void Run(float* input, float* output, float* scratch, bool split)
    {
        fixed (float* weights = packed)
        {
            WinogradConvolution.ForwardImage(plan, input, scratch, scratch + (16 * plan.InputStride), weights, output, split);
        }
    }
}
