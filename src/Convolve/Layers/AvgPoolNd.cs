using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Average pooling over 1–3 spatial dimensions, like PyTorch's <c>_AvgPoolNd</c>. The sum covers
/// the window clipped to the input; the divisor is PyTorch's: with <see cref="CountIncludePad"/>
/// the window clipped to <c>[−pad, in + pad)</c> (so a ceil-mode window reaching past the right
/// padding is divided by less than the kernel volume), otherwise the number of input elements in
/// the window.
/// </summary>
public abstract class AvgPoolNd : PoolingLayer
{
    private Shape? cachedInputShape;

    private protected AvgPoolNd(ConvGeometry geometry, bool ceilMode, bool countIncludePad)
        : base(geometry, ceilMode)
    {
        CountIncludePad = countIncludePad;
    }

    /// <summary>Whether padded positions count in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <summary>Computes the window averages. Input Shape [N, C, spatial...], output Shape [N, C, spatial_out...].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (outputShape, window) = Plan(input.Shape);
        var output = NewOutput(outputShape);
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        ForEachPlaneBlock(Planes(input.Shape), input.Size, (first, count) => PoolingAverage.Forward(
            input.Data.AsSpan(first * inPlane, count * inPlane), output.Data.AsSpan(first * outPlane, count * outPlane), count, window, CountIncludePad));
        cachedInputShape = input.Shape;
        return output;
    }

    /// <summary>Spreads each gradient, divided by its window's divisor, over the input elements the window summed; Shape [N, C, spatial...].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape inputShape = RequireCached(cachedInputShape);
        var (outputShape, window) = Plan(inputShape);
        RequireGradShape(gradOutput, outputShape);
        var gradInput = NewGradInput(inputShape);
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        ForEachPlaneBlock(Planes(inputShape), gradInput.Size, (first, count) => PoolingAverage.BackwardAdd(
            gradOutput.Data.AsSpan(first * outPlane, count * outPlane), gradInput.Data.AsSpan(first * inPlane, count * inPlane), count, window, CountIncludePad));
        return gradInput;
    }
}
