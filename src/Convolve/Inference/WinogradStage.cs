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
    public override int Phases => 3;

    /// <inheritdoc/>
    public override int Items(int phase) => phase switch { 0 => plan.InputFrame.Blocks, 1 => 16, _ => plan.OutputFrame.Blocks };

    /// <inheritdoc/>
    public override void RunPart(int phase, int start, int end, float* input, float* output, float* scratch)
    {
        float* transformed = scratch, products = scratch + (16 * plan.InputStride);
        fixed (float* weights = packed)
        {
            switch (phase)
            {
                case 0:
                    WinogradConvolution.Transform(plan, WinogradConvolution.TileTransform.Input, input, transformed, start, end);
                    break;
                case 1:
                    WinogradConvolution.Multiply(plan, transformed, weights, products, start, end);
                    break;
                default:
                    WinogradConvolution.Transform(plan, WinogradConvolution.TileTransform.Output, products, output, start, end);
                    break;
            }
        }
    }
}
