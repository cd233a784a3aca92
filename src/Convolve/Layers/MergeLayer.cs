using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// A layer of several inputs, for a <see cref="Graph"/>: <see cref="Concat"/>, <see cref="Add"/>,
/// <see cref="Mul"/>. Forward takes the inputs in order; backward returns one gradient per input.
/// The single-input members of <see cref="Layer"/> treat one tensor as a list of one, which is
/// the identity for a concatenation and refused by the binary operations.
/// </summary>
public abstract class MergeLayer : Layer
{
    /// <summary>The output shape for <paramref name="inputShapes"/>; throws <see cref="ArgumentException"/> naming the shapes when they do not fit together.</summary>
    public abstract Shape OutputShape(IReadOnlyList<Shape> inputShapes);

    /// <summary>Computes the output of <paramref name="inputs"/>.</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>Adds parameter gradients and returns the gradient of each input of the last forward, in order.</summary>
    public abstract IReadOnlyList<Tensor> BackwardAll(Tensor gradOutput);

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape) => OutputShape([inputShape]);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward([input]);

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput) => BackwardAll(gradOutput)[0];

    /// <summary>Refuses a count of inputs other than <paramref name="count"/>.</summary>
    private protected void RequireCount(int actual, int count)
    {
        if (actual != count)
        {
            throw InputError($"takes {count} inputs but got {actual}");
        }
    }
}
