namespace Convolve.Layers;

/// <summary>
/// The sigmoid-weighted linear unit <c>y = x·σ(x)</c> (swish), as <c>torch.nn.SiLU</c>, EfficientNet's
/// activation; the derivative <c>σ(x)·(1 + x·(1 − σ(x)))</c> is read from the input.
/// </summary>
public sealed class SiLU : Activation
{
    /// <inheritdoc/>
    protected override bool BackwardUsesInput => true;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = input[i] * Logistic(input[i]);
        }
    }

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput)
    {
        for (int i = 0; i < saved.Length; i++)
        {
            float x = saved[i], s = Logistic(x);
            gradInput[i] = gradOutput[i] * s * (1f + x * (1f - s));
        }
    }

    /// <summary>σ(x) without overflow for large |x|.</summary>
    internal static float Logistic(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));
}
