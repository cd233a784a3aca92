using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// The input positions that can influence one activation, from the layers' geometry alone (not the
/// weights or the data): a window layer (convolution, pooling) with kernel k, stride s, padding p
/// and dilation d maps output positions [a, b] to inputs [a·s − p, b·s − p + d(k − 1)]; an
/// element-wise layer keeps the box; a residual block takes the union of its branches; a layer
/// that mixes all positions (flatten, linear, adaptive pooling, transposed convolution) widens the
/// box to its whole input.
/// </summary>
public static class ReceptiveField
{
    /// <summary>The receptive field of the traced layer's output at spatial <paramref name="position"/> (empty for a layer without spatial dimensions).</summary>
    public static InputBox Of(ForwardTrace trace, int[] position)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(position);
        Shape output = trace.Output.Shape;
        InputBox? start = position.Length == 0 || output.Rank != position.Length + 2
            ? null
            : new InputBox(position, position.Select(p => p + 1).ToArray(), position, position.Select(p => p + 1).ToArray());
        // Through a graph's merge layer every input keeps the box: a Concat or an Add reads each at the same places; a
        // broadcast gate ([N, C, 1, 1]) is bounded by its own branch when that branch is walked.
        InputBox? box = trace.Reverse(start, (layer, b) => Step(trace, layer, b), (a, b) => a is null || b is null ? null : InputBox.Union(a, b),
            (merge, b) => [.. trace.InputsOf(merge).Select(_ => b)]);
        return box ?? InputBox.Whole(trace.Input.Shape.Dimensions[2..]);
    }

    private static InputBox? Step(ForwardTrace trace, Layer layer, InputBox? box)
    {
        var (input, output, _) = trace.Of(layer);
        if (box is null || input.Rank != box.Rank + 2)
        {
            return null;
        }
        ReadOnlySpan<int> size = input.Shape.Dimensions[2..];
        return layer switch
        {
            ConvNd convolution => Window(box, convolution.Geometry, size),
            PoolingLayer pool => Window(box, pool.Geometry, size),
            ConvTransposeNd or AdaptiveAvgPool2d or Flatten or Linear => null,
            _ when input.Shape == output.Shape => box,
            _ => null,
        };
    }

    private static InputBox Window(InputBox box, ConvGeometry g, ReadOnlySpan<int> size)
    {
        int dims = box.Rank;
        int[] start = new int[dims], end = new int[dims], nominalStart = new int[dims], nominalEnd = new int[dims];
        for (int d = 0; d < dims; d++)
        {
            int reach = g.Dilation[d] * (g.Kernel[d] - 1) + 1;
            nominalStart[d] = box.NominalStart[d] * g.Stride[d] - g.PadBefore[d];
            nominalEnd[d] = (box.NominalEnd[d] - 1) * g.Stride[d] - g.PadBefore[d] + reach;
            start[d] = Math.Max(0, box.Start[d] * g.Stride[d] - g.PadBefore[d]);
            end[d] = Math.Min(size[d], (box.End[d] - 1) * g.Stride[d] - g.PadBefore[d] + reach);
        }
        return new InputBox(start, end, nominalStart, nominalEnd);
    }
}
