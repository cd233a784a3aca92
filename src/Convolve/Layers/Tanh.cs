using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The hyperbolic tangent, as <c>torch.nn.Tanh</c>, with the derivative <c>1 − y²</c> taken from
/// the output.
/// </summary>
public sealed class Tanh : Activation
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(new ElementwiseTanh.Forward(), input, output);

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput) =>
        Elementwise.Map(new ElementwiseTanh.Backward(), gradOutput, saved, gradInput);
}
