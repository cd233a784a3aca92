using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A layer the plan has no kernel of its own for, run by its own evaluation-mode <see cref="Layer.Forward"/>
/// (which returns a new tensor unless the layer reuses its buffers).
/// </summary>
internal sealed class LayerStep(Layer layer, Shape inputShape) : PlanStep(layer.Name, layer.OutputShape(inputShape))
{
    /// <inheritdoc/>
    public override Tensor Run(Tensor input) => layer.Forward(input);
}
