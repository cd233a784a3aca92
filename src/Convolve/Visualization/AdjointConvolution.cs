using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Visualization;

/// <summary>
/// The transposed convolution that undoes a convolution's geometry with the convolution's own
/// weights and no bias (the deconvnet's "filtering" step): its output for a signal at the
/// convolution's output is <c>Cᵀ·signal</c>, C being the convolution matrix, at the convolution's
/// input size (the output padding puts back the rows the convolution's floor rounding dropped).
/// A weight tensor <c>[C_out, C_in/groups, k…]</c> is already in the layout of a transposed
/// convolution from C_out to C_in channels, so the weights are copied as they are.
/// </summary>
internal static class AdjointConvolution
{
    /// <summary>A transposed convolution mapping <paramref name="outputShape"/> back to <paramref name="inputShape"/>.</summary>
    /// <exception cref="NotSupportedException">The convolution pads unevenly (an even "same" kernel), which a transposed convolution cannot express.</exception>
    public static ConvTransposeNd For(ConvNd convolution, Shape inputShape, Shape outputShape)
    {
        var g = convolution.Geometry;
        if (!g.PadBefore.SequenceEqual(g.PadAfter))
        {
            throw new NotSupportedException($"{convolution.Name} pads unevenly ({Shape.Format(g.PadBefore)} before, {Shape.Format(g.PadAfter)} after); its projection needs symmetric padding");
        }
        int dims = g.SpatialDims;
        var outputPadding = new int[dims];
        for (int d = 0; d < dims; d++)
        {
            outputPadding[d] = ConvolutionArithmetic.OutputPaddingFor(
                outputShape[2 + d], inputShape[2 + d], g.Kernel[d], g.Stride[d], g.PadBefore[d], g.Dilation[d]);
        }
        // A fixed generator: building the layer must not draw from the global one.
        var random = new RandomSource(0);
        int inChannels = convolution.OutChannels, outChannels = convolution.InChannels;
        ConvTransposeNd transposed = dims switch
        {
            1 => new ConvTranspose1d(inChannels, outChannels, g.Kernel, g.Stride, g.PadBefore, outputPadding, convolution.Groups, false, g.Dilation, random),
            2 => new ConvTranspose2d(inChannels, outChannels, g.Kernel, g.Stride, g.PadBefore, outputPadding, convolution.Groups, false, g.Dilation, random),
            _ => new ConvTranspose3d(inChannels, outChannels, g.Kernel, g.Stride, g.PadBefore, outputPadding, convolution.Groups, false, g.Dilation, random),
        };
        convolution.Weight.Value.Span.CopyTo(transposed.Weight.Value.Span);
        transposed.Eval();
        return transposed;
    }
}
