using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// The mechanics shared by element-wise activations: any input shape, an output of the same
/// shape, and a backward pass that reads the tensor the derivative is written in terms of
/// (the output for ReLU, sigmoid and tanh; the input for leaky ReLU). Subclasses supply only the math.
/// </summary>
public abstract class Activation : Layer
{
    private Tensor? saved;

    /// <summary>True if the derivative needs the input rather than the output.</summary>
    protected virtual bool BackwardUsesInput => false;

    /// <summary>Computes <c>output = f(input)</c>, element by element.</summary>
    protected abstract void Apply(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Computes <c>gradInput = gradOutput · f′</c> from the saved input or output.</summary>
    protected abstract void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput);

    /// <summary>The same shape: an activation works on every element of any tensor.</summary>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return inputShape;
    }

    /// <summary>Shape [*] → [*]: applies the activation to every element.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = NewOutput(input.Shape, overwritten: true); // Apply writes every element
        Apply(input.Span, output.Span);
        // Kept in evaluation mode too (a reference, no copy), so a frozen model can be differentiated.
        saved = BackwardUsesInput ? input : output;
        return output;
    }

    /// <summary>Shape [*] → [*]: the gradient with respect to the last input, in either mode.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor cached = RequireCached(saved);
        RequireGradShape(gradOutput, cached.Shape);
        var gradInput = NewGradInput(cached.Shape, overwritten: true);
        ApplyBackward(gradOutput.Span, cached.Span, gradInput.Span);
        return gradInput;
    }
}
