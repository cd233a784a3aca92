using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Max pooling over <c>planes</c> independent (n, c) planes of shape <c>[D, H, W]</c> described by
/// a <see cref="Window3"/>, with the argmax "switches" of each window. Padding acts as −∞ (it
/// never wins). Scan order is depth, height, width; a later value replaces the running maximum
/// only if it is strictly greater or is NaN, so the first maximum wins ties and a NaN wins the
/// window — PyTorch's CPU rule. Each switch is the flat index within its input plane
/// (<c>(z·H + y)·W + x</c>), PyTorch's <c>return_indices</c> convention.
/// </summary>
public static class PoolingMax
{
    /// <summary>
    /// Writes the window maxima and their switches. The caller guarantees every window holds at
    /// least one input tap. Shapes: input <c>[planes, InD, InH, InW]</c>, output and indices
    /// <c>[planes, OutD, OutH, OutW]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, Span<int> indices, int planes, in Window3 window)
    {
        if (PoolingMax2x2.Applies(window))
        {
            PoolingMax2x2.Forward(input, output, indices, planes, window);
            return;
        }
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        for (int plane = 0; plane < planes; plane++)
        {
            ForwardPlane(
                input.Slice(plane * inPlane, inPlane),
                output.Slice(plane * outPlane, outPlane),
                indices.Slice(plane * outPlane, outPlane),
                window);
        }
    }

    /// <summary>
    /// Adds each output gradient into the input position its switch names; overlapping windows
    /// that share an argmax accumulate. Shapes as in <see cref="Forward"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardAdd(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> indices, Span<float> gradInput, int planes, in Window3 window)
    {
        int inPlane = window.InputPlane, outPlane = window.OutputPlane;
        for (int plane = 0; plane < planes; plane++)
        {
            Span<float> gradInputPlane = gradInput.Slice(plane * inPlane, inPlane);
            ReadOnlySpan<float> gradOutputPlane = gradOutput.Slice(plane * outPlane, outPlane);
            ReadOnlySpan<int> indexPlane = indices.Slice(plane * outPlane, outPlane);
            for (int o = 0; o < outPlane; o++)
            {
                gradInputPlane[indexPlane[o]] += gradOutputPlane[o];
            }
        }
    }

    /// <summary>
    /// The taps of output position <paramref name="o"/> that fall inside the input along one
    /// dimension: from the first in-range tap to <c>End</c> (exclusive), stepping by the dilation.
    /// </summary>
    public static (int First, int End) Taps(int o, int stride, int padding, int dilation, int kernel, int input)
    {
        int start = o * stride - padding;
        int end = Math.Min(start + dilation * (kernel - 1) + 1, input);
        if (start < 0)
        {
            // Skip whole dilation steps until the tap lands inside the input.
            start += (-start + dilation - 1) / dilation * dilation;
        }
        return (start, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPlane(ReadOnlySpan<float> input, Span<float> output, Span<int> indices, in Window3 w)
    {
        int o = 0;
        for (int od = 0; od < w.OutD; od++)
        {
            var (d0, d1) = Taps(od, w.SD, w.PD, w.DD, w.KD, w.InD);
            for (int oh = 0; oh < w.OutH; oh++)
            {
                var (h0, h1) = Taps(oh, w.SH, w.PH, w.DH, w.KH, w.InH);
                for (int ow = 0; ow < w.OutW; ow++, o++)
                {
                    var (w0, w1) = Taps(ow, w.SW, w.PW, w.DW, w.KW, w.InW);
                    int best = (d0 * w.InH + h0) * w.InW + w0;
                    float max = float.NegativeInfinity;
                    for (int z = d0; z < d1; z += w.DD)
                    {
                        for (int y = h0; y < h1; y += w.DH)
                        {
                            int row = (z * w.InH + y) * w.InW;
                            for (int x = w0; x < w1; x += w.DW)
                            {
                                float value = input[row + x];
                                if (value > max || float.IsNaN(value))
                                {
                                    max = value;
                                    best = row + x;
                                }
                            }
                        }
                    }
                    output[o] = max;
                    indices[o] = best;
                }
            }
        }
    }
}
