using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Max pooling over 1–3 spatial dimensions, like PyTorch's <c>_MaxPoolNd</c>: each output is the
/// maximum of its (dilated) window, padding counts as −∞, the first maximum in scan order wins
/// ties and a NaN in the window wins. The argmax switches are kept as an <see cref="IndexTensor"/>
/// of the output's shape whose values are flat indices within each (n, c) input plane
/// (PyTorch's <c>return_indices</c>), for <see cref="MaxUnpoolNd"/> and for the backward pass,
/// which routes each gradient to its argmax and adds where windows overlap.
/// </summary>
public abstract class MaxPoolNd : PoolingLayer
{
    private Shape? cachedInputShape;
    private IndexTensor? cachedIndices;
    private readonly ReusedBuffers<IndexTensor> keptIndices = new(shape => new IndexTensor(shape), indices => indices.Shape);

    private protected MaxPoolNd(ConvGeometry geometry, bool ceilMode)
        : base(geometry, ceilMode)
    {
    }

    /// <summary>The switches of the last forward pass (Shape [N, C, spatial_out...]), or null before the first.</summary>
    public IndexTensor? Indices { get; private set; }

    /// <summary>Computes the window maxima; the switches are kept in <see cref="Indices"/>.</summary>
    public override Tensor Forward(Tensor input) => ForwardWithIndices(input).Output;

    /// <inheritdoc/>
    public override void SetReuseBuffers(bool reuse)
    {
        base.SetReuseBuffers(reuse);
        if (!reuse)
        {
            keptIndices.Clear();
        }
    }

    /// <summary>
    /// Computes the window maxima and returns them with their switches (PyTorch's
    /// <c>return_indices=True</c>). Input Shape [N, C, spatial...]; both results Shape [N, C, spatial_out...].
    /// </summary>
    public (Tensor Output, IndexTensor Indices) ForwardWithIndices(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (outputShape, window) = Plan(input.Shape);
        var output = NewOutput(outputShape);
        // Every switch is written, so the previous switches can be reused as they are.
        var indices = ReuseBuffers ? keptIndices.Get(outputShape, out _) : new IndexTensor(outputShape);
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        ForEachPlaneBlock(Planes(input.Shape), input.Size, (first, count) => PoolingMax.Forward(
            input.Data.AsSpan(first * inPlane, count * inPlane), output.Data.AsSpan(first * outPlane, count * outPlane),
            indices.Data.AsSpan(first * outPlane, count * outPlane), count, window));
        Indices = indices;
        cachedInputShape = input.Shape;
        cachedIndices = indices;
        return (output, indices);
    }

    /// <summary>Routes each gradient to the input position that won its window; Shape [N, C, spatial...].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        IndexTensor indices = RequireCached(cachedIndices);
        Shape inputShape = RequireCached(cachedInputShape);
        RequireGradShape(gradOutput, indices.Shape);
        var gradInput = NewGradInput(inputShape);
        Window3 window = Plan(inputShape).Window;
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        ForEachPlaneBlock(Planes(inputShape), gradInput.Size, (first, count) => PoolingMax.BackwardAdd(
            gradOutput.Data.AsSpan(first * outPlane, count * outPlane), indices.Data.AsSpan(first * outPlane, count * outPlane),
            gradInput.Data.AsSpan(first * inPlane, count * inPlane), count, window));
        return gradInput;
    }
}
