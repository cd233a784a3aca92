using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>A Flatten: a view of its input with another shape, no copy.</summary>
internal sealed class ReshapeStep(string description, Shape outputShape) : PlanStep(description, outputShape)
{
    /// <inheritdoc/>
    public override Tensor Run(Tensor input) => input.Reshape(OutputShape);
}
