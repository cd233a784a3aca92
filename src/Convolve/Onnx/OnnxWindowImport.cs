using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Conv, ConvTranspose, MaxPool, AveragePool, LpPool and GlobalAveragePool nodes as Convolve
/// layers (1–3 spatial dimensions, taken from the kernel). Padding is honoured exactly at each end:
/// symmetric padding is the layer's own, the "same" split of a stride-1 convolution is PyTorch's
/// <c>padding="same"</c>, and any other uneven padding (auto_pad SAME_UPPER/SAME_LOWER at any
/// stride, or explicit pads) puts the uneven rest in a <see cref="ConstantPad"/> before the layer
/// (zeros, or −∞ for max pooling); what that cannot make exact is refused.
/// </summary>
internal static class OnnxWindowImport
{
    private static readonly string[] ConvAttributes = ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"];
    private static readonly string[] PoolAttributes = ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order", "count_include_pad", "p"];

    /// <summary>A convolution with the node's weights (after a zero <see cref="ConstantPad"/> when its padding is uneven and not PyTorch's "same").</summary>
    public static Layer Convolution(OnnxNodeReader node, Shape input, bool transposed)
    {
        OnnxTensor weight = node.Constant(1, "weight")!;
        int dims = weight.Dims.Length - 2;
        if (dims is < 1 or > 3 || input.Rank != dims + 2)
        {
            throw node.Error($"a weight of rank {weight.Dims.Length} on an input {input} is not a 1-, 2- or 3-d convolution");
        }
        int groups = (int)node.Int("group", 1);
        int[] kernel = weight.Dims[2..].Select(d => (int)d).ToArray();
        Window window = ReadWindow(node, input, dims, kernel, transposed);
        long weightInputs = transposed ? weight.Dims[0] : weight.Dims[1] * groups;
        if (groups <= 0 || weightInputs != input[1])
        {
            // Checked before the layer allocates a weight of its own.
            throw node.Error($"the weight [{string.Join(", ", weight.Dims)}] with group {groups} does not take the input {input}'s {input[1]} channels");
        }
        int inChannels = input[1], outChannels = (int)(transposed ? weight.Dims[1] * groups : weight.Dims[0]);
        OnnxTensor? bias = node.Constant(2, "bias", optional: true);
        ConvolutionBase? layer = null;
        Layer result;
        if (transposed)
        {
            result = layer = Transposed(node, dims, inChannels, outChannels, window, groups, bias is not null);
        }
        else if (!window.Before.SequenceEqual(window.After) && IsSame(window.Before, window.After, kernel, window.Stride, window.Dilation))
        {
            result = layer = Convolution(dims, inChannels, outChannels, window, Padding.Same, groups, bias is not null);
        }
        else
        {
            result = WithUnevenPadding(window, 0f, common => layer = Convolution(dims, inChannels, outChannels, window, common, groups, bias is not null));
        }
        node.Values(weight, "weight", layer!.Weight.Shape.Dimensions).CopyTo(layer.Weight.Value.Data, 0);
        if (bias is not null)
        {
            node.Values(bias, "bias", [outChannels]).CopyTo(layer.Bias!.Value.Data, 0);
        }
        return result;
    }

    /// <summary>MaxPool, AveragePool or LpPool (uneven padding through a <see cref="ConstantPad"/> where the result is exact, refused where it is not).</summary>
    public static Layer Pooling(OnnxNodeReader node, Shape input, string opType)
    {
        int dims = input.Rank - 2;
        int[] kernel = node.Ints("kernel_shape", dims, []);
        if (dims is < 1 or > 3 || kernel.Length != dims)
        {
            throw node.Error($"kernel_shape must give one size for each of the {dims} spatial dimensions of input {input}");
        }
        Window w = ReadWindow(node, input, dims, kernel, transposed: false);
        bool ceil = node.Int("ceil_mode", 0) != 0;
        node.Require(node.Int("storage_order", 0) == 0, "storage_order", node.Int("storage_order", 0).ToString(), "only row-major indices exist here");
        return opType switch
        {
            // −∞ never wins a window that holds a real element, so padding first is exact.
            "MaxPool" => WithUnevenPadding(w, float.NegativeInfinity, padding => dims switch
            {
                1 => new MaxPool1d(kernel, w.Stride, padding, w.Dilation, ceil),
                2 => new MaxPool2d(kernel, w.Stride, padding, w.Dilation, ceil),
                _ => new MaxPool3d(kernel, w.Stride, padding, w.Dilation, ceil),
            }),
            "AveragePool" => Average(node, dims, kernel, w, ceil),
            _ => LpPool(node, dims, kernel, w, ceil),
        };
    }

    /// <summary>GlobalAveragePool on [N, C, H, W] is adaptive average pooling to 1×1.</summary>
    public static Layer GlobalAverage(OnnxNodeReader node, Shape input) =>
        input.Rank == 4 ? new AdaptiveAvgPool2d(1) : throw node.Error($"only 2-d global average pooling exists here, but the input is {input}");

    private static Layer Average(OnnxNodeReader node, int dims, int[] kernel, Window w, bool ceil)
    {
        node.Require(w.Dilation.All(d => d == 1), "dilations", Shape.Format(w.Dilation), "average pooling has no dilation here (as in PyTorch)");
        bool include = node.Int("count_include_pad", 0) != 0;
        // Zeros padded first count in every window's divisor: exact only when the padding is counted anyway.
        node.Require(include || w.Before.SequenceEqual(w.After), "pads", Shape.Format([.. w.Before, .. w.After]),
            "uneven padding of an average pooling that does not count the padding (count_include_pad 0) has no layer here");
        return WithUnevenPadding(w, 0f, padding => dims switch
        {
            1 => new AvgPool1d(kernel, w.Stride, padding, ceil, include),
            2 => new AvgPool2d(kernel, w.Stride, padding, ceil, include),
            _ => new AvgPool3d(kernel, w.Stride, padding, ceil, include),
        });
    }

    /// <summary>ONNX's LpPool sums |x|^p; Convolve's (PyTorch's) sums x^p: the same for even p without padding or clipped windows.</summary>
    private static Layer LpPool(OnnxNodeReader node, int dims, int[] kernel, Window w, bool ceil)
    {
        long p = node.Int("p", 2);
        node.Require(p > 0 && p % 2 == 0, "p", p.ToString(), "Convolve's LPPool raises x (not |x|) to p, which is the same only for an even p");
        node.Require(w.Before.Concat(w.After).All(v => v == 0), "pads", Shape.Format([.. w.Before, .. w.After]), "Lp pooling has no padding here (as in PyTorch)");
        node.Require(w.Dilation.All(d => d == 1) && !ceil && dims <= 2, "dilations/ceil_mode", "", "Lp pooling is 1- or 2-d, without dilation or ceil mode here");
        return dims == 1 ? new LPPool1d(p, kernel, w.Stride) : new LPPool2d(p, kernel, w.Stride);
    }

    private static ConvolutionBase Convolution(int dims, int inChannels, int outChannels, Window w, Padding padding, int groups, bool bias) => dims switch
    {
        1 => new Conv1d(inChannels, outChannels, w.Kernel, w.Stride, padding, w.Dilation, groups, bias, new RandomSource(0)),
        2 => new Conv2d(inChannels, outChannels, w.Kernel, w.Stride, padding, w.Dilation, groups, bias, new RandomSource(0)),
        _ => new Conv3d(inChannels, outChannels, w.Kernel, w.Stride, padding, w.Dilation, groups, bias, new RandomSource(0)),
    };

    private static ConvolutionBase Transposed(OnnxNodeReader node, int dims, int inChannels, int outChannels, Window w, int groups, bool bias)
    {
        int[] outputPadding = node.Ints("output_padding", dims, new int[dims]).Zip(w.Uncropped, (p, u) => p + u).ToArray();
        return dims switch
        {
            1 => new ConvTranspose1d(inChannels, outChannels, w.Kernel, w.Stride, w.Before, outputPadding, groups, bias, w.Dilation, new RandomSource(0)),
            2 => new ConvTranspose2d(inChannels, outChannels, w.Kernel, w.Stride, w.Before, outputPadding, groups, bias, w.Dilation, new RandomSource(0)),
            _ => new ConvTranspose3d(inChannels, outChannels, w.Kernel, w.Stride, w.Before, outputPadding, groups, bias, w.Dilation, new RandomSource(0)),
        };
    }

    /// <summary>
    /// The window attributes, with the padding resolved to explicit sizes at each end: auto_pad
    /// SAME_UPPER and SAME_LOWER pad so that <c>out = ceil(in / stride)</c>, the odd element after
    /// (UPPER) or before (LOWER), as ONNX defines them; VALID pads nothing.
    /// </summary>
    private static Window ReadWindow(OnnxNodeReader node, Shape input, int dims, int[] kernel, bool transposed)
    {
        node.Require(node.Ints("kernel_shape", dims, kernel).SequenceEqual(kernel), "kernel_shape", "", "it disagrees with the weight's shape");
        int[] stride = node.Ints("strides", dims, Enumerable.Repeat(1, dims).ToArray());
        int[] dilation = node.Ints("dilations", dims, Enumerable.Repeat(1, dims).ToArray());
        int[] pads = node.Ints("pads", 2 * dims, new int[2 * dims]);
        string autoPad = node.String("auto_pad", "NOTSET");
        node.Require(autoPad is "NOTSET" or "VALID" || (autoPad is "SAME_UPPER" or "SAME_LOWER" && (!transposed || node.IntsLength("output_shape") > 0)), "auto_pad", $"\"{autoPad}\"",
            "only NOTSET, VALID, and SAME_UPPER or SAME_LOWER on a convolution or pooling, are");
        node.Require(pads.All(p => p >= 0), "pads", Shape.Format(pads), "negative padding (cropping) is not imported");
        node.Require(stride.All(s => s > 0) && dilation.All(d => d > 0), "strides/dilations", Shape.Format([.. stride, .. dilation]), "they must be positive");
        if (autoPad == "VALID")
        {
            pads = new int[2 * dims];
        }
        else if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            for (int i = 0; i < dims; i++)
            {
                int size = input[i + 2], output = (size + stride[i] - 1) / stride[i];
                int total = Math.Max(0, (output - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1 - size);
                pads[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                pads[i + dims] = total - pads[i];
            }
        }
        if (transposed && node.IntsLength("output_shape") > 0)
        {
            pads = OutputShapePads(node, input, dims, kernel, stride, dilation, autoPad);
        }
        int[] before = pads[..dims], after = pads[dims..];
        if (transposed)
        {
            // Less padding at the end of a transposed convolution uncrops its far end, as output padding does.
            node.Require(before.Zip(after).All(p => p.Second <= p.First), "pads", Shape.Format(pads), "a transposed convolution's padding must not be larger at the end than at the start");
            return new Window(kernel, stride, dilation, before, before, before.Zip(after, (b, a) => b - a).ToArray());
        }
        return new Window(kernel, stride, dilation, before, after, new int[dims]);
    }

    /// <summary>
    /// The pads that give a transposed convolution the requested <c>output_shape</c> (spatial sizes
    /// only, or with N and C first), split as ONNX says: the odd element at the start unless auto_pad
    /// is SAME_UPPER. Output padding then counts as part of the total.
    /// </summary>
    private static int[] OutputShapePads(OnnxNodeReader node, Shape input, int dims, int[] kernel, int[] stride, int[] dilation, string autoPad)
    {
        int given = node.IntsLength("output_shape");
        int[] shape = node.Ints("output_shape", given, []);
        int[] spatial = given == dims ? shape : given == dims + 2 ? shape[2..] : throw node.Error($"attribute 'output_shape' {Shape.Format(shape)} gives neither {dims} spatial sizes nor a full shape of rank {dims + 2}");
        int[] outputPadding = node.Ints("output_padding", dims, new int[dims]);
        var pads = new int[2 * dims];
        for (int i = 0; i < dims; i++)
        {
            int total = stride[i] * (input[i + 2] - 1) + outputPadding[i] + dilation[i] * (kernel[i] - 1) + 1 - spatial[i];
            node.Require(total >= 0, "output_shape", Shape.Format(shape), $"it is larger than the full transposed convolution of {input} ({spatial[i] + total} in dimension {i})");
            (pads[i], pads[i + dims]) = autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
        }
        return pads;
    }

    /// <summary>
    /// A layer that reads the window's symmetric part of the padding, after a <see cref="ConstantPad"/>
    /// of <paramref name="value"/> for the uneven rest when there is one.
    /// </summary>
    private static Layer WithUnevenPadding(Window w, float value, Func<int[], Layer> layer)
    {
        int[] common = w.Before.Zip(w.After, Math.Min).ToArray();
        if (w.Before.SequenceEqual(w.After))
        {
            return layer(common);
        }
        int[] extraBefore = w.Before.Zip(common, (p, c) => p - c).ToArray(), extraAfter = w.After.Zip(common, (p, c) => p - c).ToArray();
        return new Sequential(new ConstantPad(extraBefore, extraAfter, value), layer(common));
    }

    private static bool IsSame(int[] before, int[] after, int[] kernel, int[] stride, int[] dilation) =>
        Enumerable.Range(0, kernel.Length).All(i =>
            stride[i] == 1 && before[i] == dilation[i] * (kernel[i] - 1) / 2 && after[i] == dilation[i] * (kernel[i] - 1) - before[i]);

    /// <summary>A window's sizes with its padding at each end; <see cref="Uncropped"/> is how much less a transposed convolution's end has.</summary>
    private sealed record Window(int[] Kernel, int[] Stride, int[] Dilation, int[] Before, int[] After, int[] Uncropped);
}
