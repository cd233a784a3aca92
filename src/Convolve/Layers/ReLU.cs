using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The rectified linear unit <c>y = max(x, 0)</c>, as <c>torch.nn.ReLU</c>; its derivative at 0 is
/// taken as 0, as PyTorch does.
/// </summary>
public sealed class ReLU : Activation
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(new ElementwiseRelu.Forward(), input, output);

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput) =>
        Elementwise.Map(new ElementwiseRelu.Backward(), gradOutput, saved, gradInput);
}
