using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The logistic function <c>y = 1 / (1 + e^(−x))</c>, as <c>torch.nn.Sigmoid</c>; stable for any
/// |x|, with the derivative <c>y·(1 − y)</c> taken from the output.
/// </summary>
public sealed class Sigmoid : Activation
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(new ElementwiseSigmoid.Forward(), input, output);

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput) =>
        Elementwise.Map(new ElementwiseSigmoid.Backward(), gradOutput, saved, gradInput);
}
