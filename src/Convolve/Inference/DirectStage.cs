using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Inference;

/// <summary>A direct convolution as a <see cref="BlockedStage"/>: <see cref="DirectConvolution.ForwardImage"/> with the stage's packed weights.</summary>
internal sealed unsafe class DirectStage : BlockedStage
{
    private readonly DirectPlan plan;
    private readonly float[] packed;

    public DirectStage(string description, DirectPlan plan, float[] weight)
        : base(description, plan.InputFrame, plan.OutputFrame)
    {
        this.plan = plan;
        packed = new float[plan.ForwardGroupSize];
        plan.PackForward(weight, packed);
    }

    /// <inheritdoc/>
    public override long ImageWork => plan.ImageWork;

    /// <inheritdoc/>
    public override bool SplitsImages => DirectConvolution.SplitsImages(plan);

    /// <inheritdoc/>
    public override void Run(float* input, float* output, float* scratch, bool split)
    {
        fixed (float* weights = packed)
        {
            DirectConvolution.ForwardImage(plan, input, weights, output, split);
        }
    }
}
