using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Inference;

/// <summary>A direct convolution as a <see cref="BlockedStage"/>: <see cref="DirectConvolution.ForwardRows"/> with the stage's packed weights, its items the output rows.</summary>
internal sealed unsafe class DirectStage : BlockedStage
{
    private readonly DirectPlan plan;
    private readonly float[] packed = [];
    private readonly int shift;

    public DirectStage(string description, DirectPlan plan, float[] weight)
        : base(description, plan.InputFrame, plan.OutputFrame)
    {
        this.plan = plan;
        DirectConvolution.GrowAligned(ref packed, plan.ForwardGroupSize);
        shift = DirectConvolution.Shift(packed);
        plan.PackForward(weight, packed.AsSpan(shift));
    }

    /// <inheritdoc/>
    public override long ImageWork => plan.ImageWork;

    /// <inheritdoc/>
    public override int Phases => 1;

    /// <inheritdoc/>
    public override int Items(int phase) => plan.D.Out * plan.H.Out;

    /// <inheritdoc/>
    public override void RunPart(int phase, int start, int end, float* input, float* output, float* scratch)
    {
        fixed (float* weights = packed)
        {
            DirectConvolution.ForwardRows(plan, input, weights + shift, output, start, end);
        }
    }
}
