using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Max unpooling over 1–3 spatial dimensions, like PyTorch's <c>_MaxUnpoolNd</c>: the partial
/// inverse of <see cref="MaxPoolNd"/> that puts each pooled value back where its switch says it
/// came from and zeros everywhere else. Not a <see cref="Layer"/>, because its forward pass needs
/// the switches besides the input. The default output size per dimension is
/// <c>(in − 1)·stride − 2·padding + kernel</c> (the transposed-convolution arithmetic); a given
/// size must lie strictly within one stride of it (PyTorch's rule). As in PyTorch, padding is not
/// limited to half the kernel here.
/// </summary>
public abstract class MaxUnpoolNd
{
    private static readonly string[] SpatialNames = ["L", "H, W", "D, H, W"];
    private IndexTensor? cachedIndices;
    private Shape? cachedOutputShape;

    private protected MaxUnpoolNd(string owner, int spatialDims, SpatialSize kernelSize, SpatialSize stride, SpatialSize padding)
    {
        // The stride defaults to the kernel, as for the pooling it inverts.
        Geometry = ConvGeometry.ForTransposedConvolution(
            owner, spatialDims, kernelSize, stride.IsSpecified ? stride : kernelSize, Padding.Explicit(padding), default, default);
    }

    /// <summary>Kernel, stride and padding over the spatial dimensions (dilation 1).</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>The name used in messages, e.g. <c>MaxUnpool2d</c>.</summary>
    public string Name => Geometry.Owner;

    /// <summary>
    /// The output shape for an input shape and an optional requested size; throws
    /// <see cref="ArgumentException"/> if either is invalid.
    /// </summary>
    /// <param name="inputShape">Shape [N, C, spatial...] of the pooled values.</param>
    /// <param name="outputSize">Spatial sizes, or full sizes [N, C, spatial...] whose N and C are ignored (as in PyTorch); the default size when null.</param>
    public Shape OutputShape(Shape inputShape, int[]? outputSize = null)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int dims = Geometry.SpatialDims;
        string expected = $"expected input [N, C, {SpatialNames[dims - 1]}]";
        if (inputShape.Rank != dims + 2)
        {
            throw Error($"{expected} but got {inputShape}", "input");
        }
        if (inputShape.Dimensions[1..].ToArray().Any(size => size <= 0))
        {
            throw Error($"{expected} with positive channel and spatial sizes but got {inputShape}", "input");
        }
        int[] defaultSize = DefaultSize(inputShape.Dimensions[2..]);
        int[] size = outputSize is null ? defaultSize : RequestedSize(outputSize, defaultSize);
        if (size.Any(s => s <= 0))
        {
            throw Error($"output size {Shape.Format(size)} must be positive (the default is (in − 1)·stride − 2·padding + kernel)", nameof(outputSize));
        }
        return new Shape([inputShape[0], inputShape[1], .. size]);
    }

    /// <summary>
    /// Scatters each input value to the position its switch names within its (n, c) output plane.
    /// Input and indices Shape [N, C, spatial...]; output Shape [N, C, spatial_out...].
    /// </summary>
    /// <param name="input">The pooled values.</param>
    /// <param name="indices">The switches from <see cref="MaxPoolNd.ForwardWithIndices"/>: flat positions within each output plane.</param>
    /// <param name="outputSize">Spatial sizes or full sizes [N, C, spatial...]; the default size when null.</param>
    public Tensor Forward(Tensor input, IndexTensor indices, int[]? outputSize = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(indices);
        Shape outputShape = OutputShape(input.Shape, outputSize);
        if (indices.Shape != input.Shape)
        {
            throw Error($"indices shape {indices.Shape} must equal the input shape {input.Shape}", nameof(indices));
        }
        int outputPlane = outputShape.SizeFrom(2);
        RequireIndicesInPlane(indices, outputPlane, outputShape);
        var output = new Tensor(outputShape);
        PoolingMaxUnpool.Forward(input.Span, indices.Data, output.Span, input.Shape[0] * input.Shape[1], input.Shape.SizeFrom(2), outputPlane);
        cachedIndices = indices;
        cachedOutputShape = outputShape;
        return output;
    }

    /// <summary>Gathers the gradient at each switch; Shape [N, C, spatial...] of the last input.</summary>
    public Tensor Backward(Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (cachedIndices is null || cachedOutputShape is null)
        {
            throw new InvalidOperationException($"{Name}.Backward needs a preceding Forward");
        }
        if (gradOutput.Shape != cachedOutputShape)
        {
            throw Error($"Backward expected gradOutput {cachedOutputShape} but got {gradOutput.Shape}", nameof(gradOutput));
        }
        Shape inputShape = cachedIndices.Shape;
        var gradInput = new Tensor(inputShape);
        PoolingMaxUnpool.Backward(gradOutput.Span, cachedIndices.Data, gradInput.Span, inputShape[0] * inputShape[1], inputShape.SizeFrom(2), cachedOutputShape.SizeFrom(2));
        return gradInput;
    }

    /// <summary>
    /// PyTorch's default <c>(in − 1)·stride − 2·padding + kernel</c>. It need not be positive: only
    /// a size actually used must be, and a requested size is checked against this one.
    /// </summary>
    private int[] DefaultSize(ReadOnlySpan<int> input)
    {
        var size = new int[input.Length];
        for (int i = 0; i < size.Length; i++)
        {
            size[i] = (input[i] - 1) * Geometry.Stride[i] - 2 * Geometry.PadBefore[i] + Geometry.Kernel[i];
        }
        return size;
    }

    private int[] RequestedSize(int[] outputSize, int[] defaultSize)
    {
        int dims = Geometry.SpatialDims;
        if (outputSize.Length != dims && outputSize.Length != dims + 2)
        {
            throw Error($"outputSize must have {dims} or {dims + 2} elements but got {Shape.Format(outputSize)}", nameof(outputSize));
        }
        int[] size = outputSize[(outputSize.Length - dims)..];
        for (int i = 0; i < dims; i++)
        {
            int low = defaultSize[i] - Geometry.Stride[i], high = defaultSize[i] + Geometry.Stride[i];
            if (size[i] <= low || size[i] >= high)
            {
                throw Error(
                    $"output size {Shape.Format(size)} must be within one stride of the default {Shape.Format(defaultSize)}: in spatial dimension {i}, {size[i]} is not strictly between {low} and {high} (stride {Geometry.Stride[i]})",
                    nameof(outputSize));
            }
        }
        return size;
    }

    private void RequireIndicesInPlane(IndexTensor indices, int outputPlane, Shape outputShape)
    {
        int[] data = indices.Data;
        for (int i = 0; i < data.Length; i++)
        {
            if ((uint)data[i] >= (uint)outputPlane)
            {
                throw Error(
                    $"index {data[i]} at position {Shape.Format(Position(indices.Shape, i))} is outside the output plane: it must be in [0, {outputPlane}) for output {outputShape}",
                    nameof(indices));
            }
        }
    }

    private static int[] Position(Shape shape, int flat)
    {
        var position = new int[shape.Rank];
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            position[d] = flat % shape[d];
            flat /= shape[d];
        }
        return position;
    }

    private ArgumentException Error(string message, string parameter) => new($"{Name}: {message}", parameter);
}
