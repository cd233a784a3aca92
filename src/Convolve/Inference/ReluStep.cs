using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>A ReLU that could not be fused into the layer before it, into a buffer of its own.</summary>
internal sealed class ReluStep(Shape shape) : PlanStep("ReLU", shape)
{
    private Tensor? output;

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        output ??= new Tensor(OutputShape);
        Elementwise.Map(new ElementwiseRelu.Forward(), input.Span, output.Span);
        return output;
    }
}
