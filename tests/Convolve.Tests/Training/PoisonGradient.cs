using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Training;

/// <summary>
/// A test double: the identity with one parameter <c>scale</c> [1] that takes no part in the
/// output; on the chosen backward call it adds a non-finite value to that parameter's gradient,
/// so the loss stays finite while the gradient norm does not.
/// </summary>
internal sealed class PoisonGradient : Layer
{
    private readonly int poisonedCall;
    private readonly float poison;
    private int calls;

    public PoisonGradient(int poisonedCall, float poison)
    {
        (this.poisonedCall, this.poison) = (poisonedCall, poison);
        AddParameter("scale", new Shape(1));
    }

    public override Shape OutputShape(Shape inputShape) => inputShape;

    public override Tensor Forward(Tensor input) => input.Clone();

    public override Tensor Backward(Tensor gradOutput)
    {
        if (++calls == poisonedCall)
        {
            Parameters[0].Grad.Data[0] += poison;
        }
        return gradOutput.Clone();
    }
}
