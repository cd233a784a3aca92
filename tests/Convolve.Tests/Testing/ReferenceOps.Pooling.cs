using Convolve.Tensors;

namespace Convolve.Tests.Testing;

/// <summary>
/// Float64 pooling written straight from PyTorch 1.13's definitions with direct loops over every
/// (n, c) plane, output position and kernel tap in scan order (depth, height, width), for any
/// number of spatial dimensions. Nothing here is shared with the kernels under test.
/// </summary>
public static partial class ReferenceOps
{
    /// <summary>
    /// Max pooling: the maximum over the window's taps that fall inside the input (padding never
    /// wins); a later tap replaces the running maximum only if it is greater or NaN. Index −1
    /// marks a window with no tap inside the input.
    /// </summary>
    public static (double[] Output, int[] Indices, int[] Shape) MaxPool(Tensor input, PoolSpec spec)
    {
        var (planes, inSize, outSize) = PoolSizes(input.Shape, spec);
        int inPlane = Product(inSize), outPlane = Product(outSize);
        var output = new double[planes * outPlane];
        var indices = new int[planes * outPlane];
        for (int plane = 0; plane < planes; plane++)
        {
            int o = plane * outPlane;
            foreach (int[] position in Positions(outSize))
            {
                int best = -1;
                double max = double.NegativeInfinity;
                foreach (int flat in WindowTaps(position, inSize, spec))
                {
                    double value = input.Data[plane * inPlane + flat];
                    if (best < 0 || value > max || double.IsNaN(value))
                    {
                        best = flat;
                        max = value;
                    }
                }
                output[o] = max;
                indices[o++] = best;
            }
        }
        return (output, indices, [input.Shape[0], input.Shape[1], .. outSize]);
    }

    /// <summary>
    /// Average pooling: the sum over the taps inside the input, divided by the window clipped to
    /// <c>[−pad, in + pad)</c> when <paramref name="countIncludePad"/>, else by the number of taps
    /// inside the input. Dilation must be 1.
    /// </summary>
    public static (double[] Output, int[] Shape) AvgPool(Tensor input, PoolSpec spec, bool countIncludePad) =>
        AvgPool(Array.ConvertAll(input.Data, v => (double)v), input.Shape, spec, countIncludePad);

    private static (double[] Output, int[] Shape) AvgPool(double[] input, Shape inputShape, PoolSpec spec, bool countIncludePad)
    {
        var (planes, inSize, outSize) = PoolSizes(inputShape, spec);
        int inPlane = Product(inSize), outPlane = Product(outSize);
        var output = new double[planes * outPlane];
        for (int plane = 0; plane < planes; plane++)
        {
            int o = plane * outPlane;
            foreach (int[] position in Positions(outSize))
            {
                double sum = 0;
                int count = 0;
                foreach (int flat in WindowTaps(position, inSize, spec))
                {
                    sum += input[plane * inPlane + flat];
                    count++;
                }
                output[o++] = sum / (countIncludePad ? PaddedWindowVolume(position, inSize, spec) : count);
            }
        }
        return (output, [inputShape[0], inputShape[1], .. outSize]);
    }

    /// <summary>
    /// Lp pooling as PyTorch 1.13 composes it: <c>s = AvgPool(xᵖ)</c> without padding (padding
    /// counted), then <c>(sign(s)·relu(|s|)·K)^(1/p)</c> with K the kernel volume.
    /// </summary>
    public static (double[] Output, int[] Shape) LPPool(Tensor input, double p, PoolSpec spec)
    {
        double[] powered = Array.ConvertAll(input.Data, v => Math.Pow(v, p));
        var (average, shape) = AvgPool(powered, input.Shape, spec, countIncludePad: true);
        int kernelVolume = Product(spec.Kernel);
        var output = new double[average.Length];
        for (int i = 0; i < average.Length; i++)
        {
            double s = average[i];
            output[i] = Math.Pow(Math.Sign(s) * Math.Max(Math.Abs(s), 0) * kernelVolume, 1 / p);
        }
        return (output, shape);
    }

    /// <summary>Max unpooling: zeros, then each input value written in order at its index within its plane.</summary>
    public static double[] MaxUnpool(Tensor input, int[] indices, int[] outputSpatial)
    {
        int planes = input.Shape[0] * input.Shape[1], inPlane = input.Shape.SizeFrom(2), outPlane = Product(outputSpatial);
        var output = new double[planes * outPlane];
        for (int plane = 0; plane < planes; plane++)
        {
            for (int i = 0; i < inPlane; i++)
            {
                output[plane * outPlane + indices[plane * inPlane + i]] = input.Data[plane * inPlane + i];
            }
        }
        return output;
    }

    /// <summary>Adaptive average pooling over [N, C, H, W]: bin i spans [⌊i·In/Out⌋, ⌈(i + 1)·In/Out⌉) in each dimension.</summary>
    public static double[] AdaptiveAvgPool2d(Tensor input, int outH, int outW)
    {
        int planes = input.Shape[0] * input.Shape[1], inH = input.Shape[2], inW = input.Shape[3];
        var output = new double[planes * outH * outW];
        for (int plane = 0; plane < planes; plane++)
        {
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = (int)Math.Floor((double)oh * inH / outH), h1 = (int)Math.Ceiling((double)(oh + 1) * inH / outH);
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = (int)Math.Floor((double)ow * inW / outW), w1 = (int)Math.Ceiling((double)(ow + 1) * inW / outW);
                    double sum = 0;
                    for (int y = h0; y < h1; y++)
                    {
                        for (int x = w0; x < w1; x++)
                        {
                            sum += input.Data[(plane * inH + y) * inW + x];
                        }
                    }
                    output[(plane * outH + oh) * outW + ow] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        return output;
    }

    /// <summary>Every multi-index of an array of the given sizes, in row-major order.</summary>
    public static IEnumerable<int[]> Positions(int[] sizes)
    {
        int total = Product(sizes);
        for (int flat = 0; flat < total; flat++)
        {
            var position = new int[sizes.Length];
            for (int d = sizes.Length - 1, rest = flat; d >= 0; d--)
            {
                position[d] = rest % sizes[d];
                rest /= sizes[d];
            }
            yield return position;
        }
    }

    /// <summary>Product of the sizes (1 for none).</summary>
    public static int Product(int[] sizes) => sizes.Aggregate(1, (a, b) => a * b);

    private static (int Planes, int[] InSize, int[] OutSize) PoolSizes(Shape inputShape, PoolSpec spec)
    {
        int[] inSize = inputShape.ToArray()[2..];
        return (inputShape[0] * inputShape[1], inSize, spec.OutputSize(inSize));
    }

    /// <summary>Flat in-plane indices of the window's taps that lie inside the input, in scan order.</summary>
    private static IEnumerable<int> WindowTaps(int[] position, int[] inSize, PoolSpec spec)
    {
        foreach (int[] tap in Positions(spec.Kernel))
        {
            int flat = 0;
            bool inside = true;
            for (int d = 0; d < spec.Dims; d++)
            {
                int coordinate = position[d] * spec.Stride[d] - spec.Padding[d] + tap[d] * spec.Dilation[d];
                inside &= coordinate >= 0 && coordinate < inSize[d];
                flat = flat * inSize[d] + coordinate;
            }
            if (inside)
            {
                yield return flat;
            }
        }
    }

    private static int PaddedWindowVolume(int[] position, int[] inSize, PoolSpec spec)
    {
        int volume = 1;
        for (int d = 0; d < spec.Dims; d++)
        {
            int start = position[d] * spec.Stride[d] - spec.Padding[d];
            int end = start + spec.Kernel[d];
            volume *= Math.Min(end, inSize[d] + spec.Padding[d]) - Math.Max(start, -spec.Padding[d]);
        }
        return volume;
    }
}
