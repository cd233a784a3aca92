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
    private Tensor? cachedAverage;
    private readonly ReusedBuffers<Tensor> keptPowers = new(shape => new Tensor(shape), tensor => tensor.Shape);
    private readonly ReusedBuffers<Tensor> keptAverages = new(shape => new Tensor(shape), tensor => tensor.Shape);
    private readonly ReusedBuffers<Tensor> keptGradAverages = new(shape => new Tensor(shape), tensor => tensor.Shape);

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

    /// <inheritdoc/>
    public override void SetReuseBuffers(bool reuse)
    {
        base.SetReuseBuffers(reuse);
        if (!reuse)
        {
            keptPowers.Clear();
            keptAverages.Clear();
            keptGradAverages.Clear();
        }
    }

    /// <summary>Computes the window norms. Input Shape [N, C, spatial...], output Shape [N, C, spatial_out...].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (outputShape, window) = Plan(input.Shape);
        var output = NewOutput(outputShape);
        // The averages are kept apart from the output in both modes: backward needs them.
        Tensor average = Scratch(keptAverages, outputShape);
        bool fused = NormType == 2 && PoolingAverage2x2.Applies(window);
        float[]? powers = fused ? null : Scratch(keptPowers, input.Shape).Data;
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        ForEachPlaneBlock(Planes(input.Shape), input.Size, (first, count) => ForwardBlock(
            input.Data.AsSpan(first * inPlane, count * inPlane), powers is null ? default : powers.AsSpan(first * inPlane, count * inPlane),
            average.Data.AsSpan(first * outPlane, count * outPlane), output.Data.AsSpan(first * outPlane, count * outPlane), count, window));
        cachedInput = input;
        cachedAverage = average;
        return output;
    }

    /// <summary>The chain rule back through the root, the scaled average pool and the power; Shape [N, C, spatial...].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = RequireCached(cachedInput);
        Tensor average = RequireCached(cachedAverage);
        var (outputShape, window) = Plan(input.Shape);
        RequireGradShape(gradOutput, outputShape);
        Tensor gradAverage = Scratch(keptGradAverages, outputShape);
        var gradInput = NewGradInput(input.Shape);
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        ForEachPlaneBlock(Planes(input.Shape), input.Size, (first, count) => BackwardBlock(
            average.Data.AsSpan(first * outPlane, count * outPlane), gradOutput.Data.AsSpan(first * outPlane, count * outPlane),
            gradAverage.Data.AsSpan(first * outPlane, count * outPlane), input.Data.AsSpan(first * inPlane, count * inPlane),
            gradInput.Data.AsSpan(first * inPlane, count * inPlane), count, window));
        return gradInput;
    }

    /// <summary>
    /// Forward over a block of planes: powers (into <paramref name="powers"/>, unless the 2×2
    /// <c>p = 2</c> kernel squares on the fly), their averages, then the root.
    /// </summary>
    private void ForwardBlock(ReadOnlySpan<float> input, Span<float> powers, Span<float> average, Span<float> output, int planes, in Window3 window)
    {
        if (NormType != 2)
        {
            PoolingLp.Power(input, powers, NormType);
            PoolingAverage.Forward(powers, average, planes, window, countIncludePad: true);
            PoolingLp.Root(average, output, NormType, window.KernelVolume);
            return;
        }
        if (powers.IsEmpty)
        {
            PoolingAverage2x2.Forward(input, average, planes, window, square: true);
        }
        else
        {
            PoolingLp2.Square(input, powers);
            PoolingAverage.Forward(powers, average, planes, window, countIncludePad: true);
        }
        PoolingLp2.Root(average, output, window.KernelVolume);
    }

    /// <summary>Backward over a block of planes; <paramref name="gradInput"/> is zero on entry.</summary>
    private void BackwardBlock(
        ReadOnlySpan<float> average, ReadOnlySpan<float> gradOutput, Span<float> gradAverage, ReadOnlySpan<float> input, Span<float> gradInput, int planes, in Window3 window)
    {
        if (NormType != 2)
        {
            PoolingLp.RootBackward(average, gradOutput, gradAverage, NormType, window.KernelVolume);
            PoolingAverage.BackwardAdd(gradAverage, gradInput, planes, window, countIncludePad: true);
            PoolingLp.PowerBackwardInPlace(input, gradInput, NormType);
            return;
        }
        PoolingLp2.RootBackward(average, gradOutput, gradAverage, window.KernelVolume);
        if (PoolingAverage2x2.Applies(window))
        {
            PoolingLp2x2.SquareBackward(gradAverage, input, gradInput, planes, window);
            return;
        }
        PoolingAverage.BackwardAdd(gradAverage, gradInput, planes, window, countIncludePad: true);
        PoolingLp2.SquareBackwardInPlace(input, gradInput);
    }

    /// <summary>A working buffer every element of which the caller overwrites: kept across calls when <see cref="Layer.ReuseBuffers"/> is on.</summary>
    private Tensor Scratch(ReusedBuffers<Tensor> kept, Shape shape) => ReuseBuffers ? kept.Get(shape, out _) : new Tensor(shape);
}
