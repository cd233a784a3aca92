using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// What every sliding-window pooling layer shares: its validated <see cref="ConvGeometry"/>, the
/// input checks, the output shape (PyTorch's pooling arithmetic with optional ceil mode) and the
/// <see cref="Window3"/> handed to the kernels, so that max, average and Lp pooling only choose
/// the reduction. Input Shape [N, C, spatial...], output Shape [N, C, spatial_out...].
/// </summary>
public abstract class PoolingLayer : Layer
{
    private static readonly string[] SpatialNames = ["L", "H, W", "D, H, W"];

    private protected PoolingLayer(ConvGeometry geometry, bool ceilMode)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        CeilMode = ceilMode;
    }

    /// <summary>Kernel, stride, padding and dilation over the spatial dimensions.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Whether the output size rounds up (a last, partial window is kept if it starts inside the input or left padding).</summary>
    public bool CeilMode { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape) => new([inputShape[0], inputShape[1], .. OutputSpatialSize(inputShape)]);

    /// <summary>Validates an input shape and returns the output shape and the kernels' window geometry.</summary>
    private protected (Shape OutputShape, Window3 Window) Plan(Shape inputShape)
    {
        int[] output = OutputSpatialSize(inputShape);
        return (new Shape([inputShape[0], inputShape[1], .. output]), Geometry.ToWindow3(inputShape.Dimensions[2..], output));
    }

    /// <summary>Number of independent (n, c) planes, <c>N·C</c>.</summary>
    /// <summary>The window of one plane for an input of <paramref name="inputShape"/>, for a compiled evaluation plan.</summary>
    internal Window3 WindowFor(Shape inputShape) => Plan(inputShape).Window;

    private protected static int Planes(Shape shape) => shape[0] * shape[1];

    /// <summary>
    /// Runs <paramref name="body"/>(first plane, plane count) over contiguous blocks of the
    /// <paramref name="planes"/> independent (n, c) planes through <see cref="Parallelism.For"/>;
    /// each plane is computed whole by one thread, so the result does not depend on the split. An
    /// element counts as <see cref="WorkPerElement"/> units of work (a window's compares and the
    /// switch), so jobs under about 64 K elements stay on the calling thread.
    /// </summary>
    private protected static void ForEachPlaneBlock(int planes, int elements, Action<int, int> body) =>
        Parallelism.For(planes, (long)elements / Math.Max(planes, 1) * WorkPerElement, (first, end) => body(first, end - first));

    /// <summary>Work units of one pooled element for <see cref="Parallelism"/>'s threshold.</summary>
    private const int WorkPerElement = 8;

    /// <summary>
    /// Checks rank and sizes of an input shape and returns the output's spatial sizes; the message
    /// shows the expected layout, e.g. <c>MaxPool2d: expected input [N, C, H, W] but got [8, 28, 28]</c>.
    /// </summary>
    private protected int[] OutputSpatialSize(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int dims = Geometry.SpatialDims;
        string expected = $"expected input [N, C, {SpatialNames[dims - 1]}]";
        if (inputShape.Rank != dims + 2)
        {
            throw InputError($"{expected} but got {inputShape}");
        }
        if (inputShape.Dimensions[1..].ToArray().Any(size => size <= 0))
        {
            throw InputError($"{expected} with positive channel and spatial sizes but got {inputShape}");
        }
        int[] input = inputShape.Dimensions[2..].ToArray();
        int[] output = Geometry.PoolingOutputSize(input, CeilMode);
        RequireInputInEveryWindow(input, output);
        return output;
    }

    /// <summary>
    /// Refuses a geometry in which some window's taps all fall in the padding. The padding rule
    /// (at most half the kernel) prevents that without dilation, but a dilated window can step over
    /// a small input; PyTorch then returns −∞ with a switch outside the plane.
    /// </summary>
    private void RequireInputInEveryWindow(int[] input, int[] output)
    {
        for (int dim = 0; dim < input.Length; dim++)
        {
            for (int o = 0; o < output[dim]; o++)
            {
                var (first, end) = PoolingMax.Taps(o, Geometry.Stride[dim], Geometry.PadBefore[dim], Geometry.Dilation[dim], Geometry.Kernel[dim], input[dim]);
                if (first >= end)
                {
                    throw InputError(
                        $"window {o} in spatial dimension {dim} covers only padding: its taps start at {o * Geometry.Stride[dim] - Geometry.PadBefore[dim]} every {Geometry.Dilation[dim]} (kernel {Geometry.Kernel[dim]}) but the input has {input[dim]} positions");
                }
            }
        }
    }
}
