namespace Convolve.Layers;

/// <summary>
/// <c>y = ReLU6(x + 3)/6</c>, as <c>torch.nn.Hardsigmoid</c> and ONNX's <c>HardSigmoid</c> with
/// α = 1/6, β = 1/2 (MobileNetV3's squeeze-excitation gate). The gradient is 1/6 inside (−3, 3), 0 outside.
/// </summary>
public sealed class Hardsigmoid : Activation
{
    /// <inheritdoc/>
    protected override bool BackwardUsesInput => true;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = Math.Clamp(input[i] + 3f, 0f, 6f) / 6f;
        }
    }

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput)
    {
        for (int i = 0; i < saved.Length; i++)
        {
            gradInput[i] = saved[i] > -3f && saved[i] < 3f ? gradOutput[i] / 6f : 0f;
        }
    }
}
