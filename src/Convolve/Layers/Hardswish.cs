namespace Convolve.Layers;

/// <summary>
/// <c>y = x·ReLU6(x + 3)/6</c>, as <c>torch.nn.Hardswish</c> and ONNX's <c>HardSwish</c> (MobileNetV3).
/// The derivative is PyTorch's: 0 below −3, <c>x/3 + 1/2</c> on [−3, 3], 1 above.
/// </summary>
public sealed class Hardswish : Activation
{
    /// <inheritdoc/>
    protected override bool BackwardUsesInput => true;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = x * Math.Clamp(x + 3f, 0f, 6f) / 6f;
        }
    }

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput)
    {
        for (int i = 0; i < saved.Length; i++)
        {
            float x = saved[i];
            gradInput[i] = x < -3f ? 0f : x <= 3f ? gradOutput[i] * (x / 3f + 0.5f) : gradOutput[i];
        }
    }
}
