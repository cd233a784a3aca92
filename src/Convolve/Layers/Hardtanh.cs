using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Clipping to [<see cref="MinVal"/>, <see cref="MaxVal"/>], as <c>torch.nn.Hardtanh</c> and ONNX's
/// <c>Clip</c>; <c>Hardtanh(0, 6)</c> is ReLU6 (MobileNet's activation). The gradient passes where
/// <c>min &lt; x &lt; max</c> and is zero elsewhere, as PyTorch's <c>hardtanh_backward</c>.
/// </summary>
public sealed class Hardtanh : Activation
{
    /// <summary>Clips to [<paramref name="minVal"/>, <paramref name="maxVal"/>] (PyTorch's defaults −1 and 1); the bounds may be infinite but not NaN, and min ≤ max.</summary>
    public Hardtanh(float minVal = -1f, float maxVal = 1f)
    {
        if (float.IsNaN(minVal) || float.IsNaN(maxVal) || minVal > maxVal)
        {
            throw new ArgumentException($"Hardtanh: minVal ({minVal}) must not exceed maxVal ({maxVal}) and neither may be NaN", nameof(minVal));
        }
        (MinVal, MaxVal) = (minVal, maxVal);
    }

    /// <summary>The lower bound.</summary>
    public float MinVal { get; }

    /// <summary>The upper bound.</summary>
    public float MaxVal { get; }

    /// <inheritdoc/>
    protected override bool BackwardUsesInput => true;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(new ElementwiseHardtanh.Forward(MinVal, MaxVal), input, output);

    /// <inheritdoc/>
    protected override void ApplyBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> saved, Span<float> gradInput) =>
        Elementwise.Map(new ElementwiseHardtanh.Backward(MinVal, MaxVal), gradOutput, saved, gradInput);
}
