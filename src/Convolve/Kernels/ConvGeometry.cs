namespace Convolve.Kernels;

/// <summary>
/// Kernel, stride, padding, dilation and output padding over 1–3 spatial dimensions: their
/// validation and the output-size arithmetic of convolution, transposed convolution and
/// pooling (Dumoulin &amp; Visin, "A guide to convolution arithmetic for deep learning"):
/// <c>out = floor((in + p_before + p_after − d·(k − 1) − 1) / s) + 1</c> for convolution and
/// <c>out = (in − 1)·s − p_before − p_after + d·(k − 1) + output_padding + 1</c> for its transpose.
/// </summary>
public sealed class ConvGeometry
{
    private ConvGeometry(string owner, int[] kernel, int[] stride, int[] dilation, int[] padBefore, int[] padAfter, int[] outputPadding)
    {
        Owner = owner;
        Kernel = kernel;
        Stride = stride;
        Dilation = dilation;
        PadBefore = padBefore;
        PadAfter = padAfter;
        OutputPadding = outputPadding;
    }

    /// <summary>The layer name used in error messages, e.g. <c>Conv2d</c>.</summary>
    public string Owner { get; }

    /// <summary>Number of spatial dimensions (1, 2 or 3).</summary>
    public int SpatialDims => Kernel.Length;

    /// <summary>Kernel size per spatial dimension.</summary>
    public int[] Kernel { get; }

    /// <summary>Stride per spatial dimension.</summary>
    public int[] Stride { get; }

    /// <summary>Dilation per spatial dimension.</summary>
    public int[] Dilation { get; }

    /// <summary>Zero padding before (top/left/front) per spatial dimension.</summary>
    public int[] PadBefore { get; }

    /// <summary>Zero padding after (bottom/right/back) per spatial dimension; differs from
    /// <see cref="PadBefore"/> only for <see cref="Padding.Same"/> with an even effective kernel.</summary>
    public int[] PadAfter { get; }

    /// <summary>Extra output size on the far side, transposed convolution only.</summary>
    public int[] OutputPadding { get; }

    /// <summary>The extent a dilated kernel covers, <c>d·(k − 1) + 1</c>.</summary>
    public int EffectiveKernel(int dim) => Dilation[dim] * (Kernel[dim] - 1) + 1;

    /// <summary>Validated geometry of a convolution.</summary>
    public static ConvGeometry ForConvolution(string owner, int spatialDims, SpatialSize kernel, SpatialSize stride, Padding padding, SpatialSize dilation)
    {
        var (k, s, d) = ResolveWindow(owner, spatialDims, kernel, stride, dilation, stride.IsSpecified ? null : Ones(spatialDims));
        var (before, after) = ResolvePadding(owner, padding, k, s, d);
        return new ConvGeometry(owner, k, s, d, before, after, new int[spatialDims]);
    }

    /// <summary>Validated geometry of a transposed convolution (explicit or <c>valid</c> padding only).</summary>
    public static ConvGeometry ForTransposedConvolution(string owner, int spatialDims, SpatialSize kernel, SpatialSize stride, Padding padding, SpatialSize outputPadding, SpatialSize dilation)
    {
        var (k, s, d) = ResolveWindow(owner, spatialDims, kernel, stride, dilation, stride.IsSpecified ? null : Ones(spatialDims));
        if (padding.Mode is PaddingMode.Same or PaddingMode.Full)
        {
            throw new ArgumentException($"{owner}: padding \"{padding}\" is not supported for transposed convolution; give explicit sizes", nameof(padding));
        }
        var (before, after) = ResolvePadding(owner, padding, k, s, d);
        int[] op = outputPadding.Resolve(spatialDims, "outputPadding", new int[spatialDims]);
        for (int i = 0; i < spatialDims; i++)
        {
            if (op[i] < 0)
            {
                throw new ArgumentException($"{owner}: output padding must be non-negative but got {Tensors.Shape.Format(op)}", nameof(outputPadding));
            }
            if (op[i] >= s[i] && op[i] >= d[i])
            {
                throw new ArgumentException(
                    $"{owner}: output padding ({op[i]}) must be smaller than stride ({s[i]}) or dilation ({d[i]}) in spatial dimension {i}",
                    nameof(outputPadding));
            }
        }
        return new ConvGeometry(owner, k, s, d, before, after, op);
    }

    /// <summary>
    /// Validated geometry of a pooling window. The stride defaults to the kernel size, and
    /// padding may be at most half the kernel on each side (PyTorch's rule), so that every
    /// window overlaps the input.
    /// </summary>
    public static ConvGeometry ForPooling(string owner, int spatialDims, SpatialSize kernel, SpatialSize stride, SpatialSize padding, SpatialSize dilation)
    {
        int[] kernelValues = kernel.Resolve(spatialDims, "kernelSize", Ones(spatialDims));
        var (k, s, d) = ResolveWindow(owner, spatialDims, kernel, stride, dilation, kernelValues);
        int[] p = padding.Resolve(spatialDims, "padding", new int[spatialDims]);
        for (int i = 0; i < spatialDims; i++)
        {
            if (p[i] < 0)
            {
                throw new ArgumentException($"{owner}: padding must be non-negative but got {Tensors.Shape.Format(p)}", nameof(padding));
            }
            if (p[i] > k[i] / 2)
            {
                throw new ArgumentException(
                    $"{owner}: padding ({p[i]}) must be at most half the kernel size ({k[i]}) in spatial dimension {i}", nameof(padding));
            }
        }
        return new ConvGeometry(owner, k, s, d, p, (int[])p.Clone(), new int[spatialDims]);
    }

    /// <summary>Output spatial sizes of the convolution; validates that the kernel fits the padded input.</summary>
    public int[] ConvolutionOutputSize(ReadOnlySpan<int> input)
    {
        CheckSpatialRank(input);
        var output = new int[SpatialDims];
        for (int i = 0; i < SpatialDims; i++)
        {
            int padded = PaddedInput(input, i);
            output[i] = (padded - EffectiveKernel(i)) / Stride[i] + 1;
        }
        return output;
    }

    /// <summary>
    /// Output spatial sizes of the pooling window. With <paramref name="ceilMode"/> the division
    /// rounds up, but a last window that would start in the right padding is dropped (PyTorch's rule).
    /// </summary>
    public int[] PoolingOutputSize(ReadOnlySpan<int> input, bool ceilMode)
    {
        CheckSpatialRank(input);
        var output = new int[SpatialDims];
        for (int i = 0; i < SpatialDims; i++)
        {
            int span = PaddedInput(input, i) - EffectiveKernel(i);
            int size = (ceilMode ? (span + Stride[i] - 1) / Stride[i] : span / Stride[i]) + 1;
            if (ceilMode && (size - 1) * Stride[i] >= input[i] + PadBefore[i])
            {
                size--;
            }
            output[i] = size;
        }
        return output;
    }

    /// <summary>Output spatial sizes of the transposed convolution.</summary>
    public int[] TransposedOutputSize(ReadOnlySpan<int> input)
    {
        CheckSpatialRank(input);
        var output = new int[SpatialDims];
        for (int i = 0; i < SpatialDims; i++)
        {
            output[i] = (input[i] - 1) * Stride[i] - PadBefore[i] - PadAfter[i] + EffectiveKernel(i) + OutputPadding[i];
            if (output[i] < 1)
            {
                throw new ArgumentException(
                    $"{Owner}: output size {output[i]} in spatial dimension {i} is not positive: (in {input[i]} − 1)·stride {Stride[i]} − padding {PadBefore[i] + PadAfter[i]} + dilation·(kernel − 1) + 1 = {EffectiveKernel(i)} + output padding {OutputPadding[i]}",
                    nameof(input));
            }
        }
        return output;
    }

    /// <summary>The window normalised to three spatial dimensions for the kernels.</summary>
    public Window3 ToWindow3(ReadOnlySpan<int> input, ReadOnlySpan<int> output)
    {
        int lead = 3 - SpatialDims;
        int At(ReadOnlySpan<int> values, int dim, int unit) => dim < lead ? unit : values[dim - lead];
        return new Window3(
            At(input, 0, 1), At(input, 1, 1), At(input, 2, 1),
            At(output, 0, 1), At(output, 1, 1), At(output, 2, 1),
            At(Kernel, 0, 1), At(Kernel, 1, 1), At(Kernel, 2, 1),
            At(Stride, 0, 1), At(Stride, 1, 1), At(Stride, 2, 1),
            At(PadBefore, 0, 0), At(PadBefore, 1, 0), At(PadBefore, 2, 0),
            At(Dilation, 0, 1), At(Dilation, 1, 1), At(Dilation, 2, 1));
    }

    private int PaddedInput(ReadOnlySpan<int> input, int i)
    {
        int padded = input[i] + PadBefore[i] + PadAfter[i];
        if (padded < EffectiveKernel(i))
        {
            throw new ArgumentException(
                $"{Owner}: kernel extent {EffectiveKernel(i)} (dilation {Dilation[i]} · (kernel {Kernel[i]} − 1) + 1) is larger than the padded input {padded} (input {input[i]} + padding {PadBefore[i]} + {PadAfter[i]}) in spatial dimension {i}",
                nameof(input));
        }
        return padded;
    }

    private void CheckSpatialRank(ReadOnlySpan<int> input)
    {
        if (input.Length != SpatialDims)
        {
            throw new ArgumentException($"{Owner}: expected {SpatialDims} spatial sizes but got {Tensors.Shape.Format(input)}", nameof(input));
        }
    }

    private static (int[] Kernel, int[] Stride, int[] Dilation) ResolveWindow(
        string owner, int spatialDims, SpatialSize kernel, SpatialSize stride, SpatialSize dilation, int[]? strideFallback)
    {
        if (!kernel.IsSpecified)
        {
            throw new ArgumentException($"{owner}: kernelSize is required", nameof(kernel));
        }
        int[] k = kernel.Resolve(spatialDims, "kernelSize", Ones(spatialDims));
        int[] s = stride.Resolve(spatialDims, "stride", strideFallback ?? Ones(spatialDims));
        int[] d = dilation.Resolve(spatialDims, "dilation", Ones(spatialDims));
        RequirePositive(owner, "kernelSize", k);
        RequirePositive(owner, "stride", s);
        RequirePositive(owner, "dilation", d);
        return (k, s, d);
    }

    private static (int[] Before, int[] After) ResolvePadding(string owner, Padding padding, int[] k, int[] s, int[] d)
    {
        int dims = k.Length;
        var before = new int[dims];
        var after = new int[dims];
        for (int i = 0; i < dims; i++)
        {
            int total = d[i] * (k[i] - 1);
            switch (padding.Mode)
            {
                case PaddingMode.Same:
                    if (s[i] != 1)
                    {
                        throw new ArgumentException($"{owner}: padding \"same\" needs stride 1 but got stride {Tensors.Shape.Format(s)}", nameof(padding));
                    }
                    before[i] = total / 2;
                    after[i] = total - before[i];
                    break;
                case PaddingMode.Full:
                    before[i] = after[i] = total;
                    break;
                case PaddingMode.Explicit:
                    int[] p = padding.ResolveExplicit(dims);
                    if (p[i] < 0)
                    {
                        throw new ArgumentException($"{owner}: padding must be non-negative but got {Tensors.Shape.Format(p)}", nameof(padding));
                    }
                    before[i] = after[i] = p[i];
                    break;
                default:
                    break;
            }
        }
        return (before, after);
    }

    private static void RequirePositive(string owner, string name, int[] values)
    {
        if (values.Any(v => v <= 0))
        {
            throw new ArgumentException($"{owner}: {name} must be positive but got {Tensors.Shape.Format(values)}", name);
        }
    }

    private static int[] Ones(int dims) => Enumerable.Repeat(1, dims).ToArray();
}
