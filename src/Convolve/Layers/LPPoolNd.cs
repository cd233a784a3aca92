using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Power-average pooling over 1–2 spatial dimensions, like PyTorch's <c>_LPPoolNd</c>:
/// <c>out = (Σ xᵖ)^(1/p)</c> over each window, computed exactly as PyTorch 1.13 does — the powers
/// are average-pooled (no padding, padding counted in the divisor), multiplied by the kernel
/// volume <c>K</c>, passed through <c>sign(s)·relu(|s|)</c> and raised to <c>1/p</c>. Hence, in
/// ceil mode, a last window clipped by the input to <c>c &lt; K</c> elements yields
/// <c>(K/c · Σ xᵖ)^(1/p)</c>, not the plain sum; and a negative sum with a non-integer
/// <c>1/p</c> gives NaN. <c>p = 1</c> is a sum pool. Where a window's sum is zero the gradient is zero.
/// </summary>
public abstract class LPPoolNd : PoolingLayer
{
    private Tensor? cachedInput;
    private float[]? cachedAverage;

    private protected LPPoolNd(ConvGeometry geometry, double normType, bool ceilMode)
        : base(geometry, ceilMode)
    {
        if (!double.IsFinite(normType) || normType <= 0)
        {
            throw new ArgumentException($"{geometry.Owner}: normType must be finite and positive but got {normType}", nameof(normType));
        }
        NormType = normType;
    }

    /// <summary>The exponent <c>p</c> of the norm.</summary>
    public double NormType { get; }

    /// <summary>Computes the window norms. Input Shape [N, C, spatial...], output Shape [N, C, spatial_out...].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (outputShape, window) = Plan(input.Shape);
        var powered = new float[input.Size];
        PoolingLp.Power(input.Span, powered, NormType);
        var average = new float[outputShape.Size];
        PoolingAverage.Forward(powered, average, Planes(input.Shape), window, countIncludePad: true);
        var output = NewOutput(outputShape);
        PoolingLp.Root(average, output.Span, NormType, window.KernelVolume);
        cachedInput = IsTraining ? input : null;
        cachedAverage = IsTraining ? average : null;
        return output;
    }

    /// <summary>The chain rule back through the root, the scaled average pool and the power; Shape [N, C, spatial...].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = RequireCached(cachedInput);
        float[] average = RequireCached(cachedAverage);
        var (outputShape, window) = Plan(input.Shape);
        RequireGradShape(gradOutput, outputShape);
        var gradAverage = new float[outputShape.Size];
        PoolingLp.RootBackward(average, gradOutput.Span, gradAverage, NormType, window.KernelVolume);
        var gradInput = NewGradInput(input.Shape);
        PoolingAverage.BackwardAdd(gradAverage, gradInput.Span, Planes(input.Shape), window, countIncludePad: true);
        PoolingLp.PowerBackwardInPlace(input.Span, gradInput.Span, NormType);
        return gradInput;
    }
}
