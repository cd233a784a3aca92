using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The leaky rectified linear unit <c>y = x &gt; 0 ? x : negativeSlope·x</c>, as
/// <c>torch.nn.LeakyReLU</c>. The derivative is read from the input, since a negative slope makes
/// the output's sign ambiguous.
/// </summary>
public sealed class LeakyReLU : Activation
{
    /// <summary>Creates the layer; <paramref name="negativeSlope"/> must be finite (PyTorch's default is 0.01).</summary>
    public LeakyReLU(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentException($"LeakyReLU: negativeSlope must be finite but got {negativeSlope}", nameof(negativeSlope));
        }
        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc/>
    protected override bool BackwardUsesInput => true;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(new ElementwiseLeakyRelu.Forward(NegativeSlope), input, output);

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput) =>
        Elementwise.Map(new ElementwiseLeakyRelu.Backward(NegativeSlope), gradOutput, saved, gradInput);
}
