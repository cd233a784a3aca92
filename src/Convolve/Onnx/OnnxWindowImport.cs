using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Conv, ConvTranspose, MaxPool, AveragePool, LpPool and GlobalAveragePool nodes as Convolve
/// layers (1–3 spatial dimensions, taken from the kernel). Padding must be symmetric per
/// dimension, or the "same" split of a stride-1 convolution (the extra element after, as
/// SAME_UPPER and PyTorch put it).
/// </summary>
internal static class OnnxWindowImport
{
    private static readonly string[] ConvAttributes = ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"];
    private static readonly string[] PoolAttributes = ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order", "count_include_pad", "p"];

    /// <summary>A convolution with the node's weights.</summary>
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
        Window window = ReadWindow(node, dims, kernel, transposed);
        long weightInputs = transposed ? weight.Dims[0] : weight.Dims[1] * groups;
        if (groups <= 0 || weightInputs != input[1])
        {
            // Checked before the layer allocates a weight of its own.
            throw node.Error($"the weight [{string.Join(", ", weight.Dims)}] with group {groups} does not take the input {input}'s {input[1]} channels");
        }
        int inChannels = input[1], outChannels = (int)(transposed ? weight.Dims[1] * groups : weight.Dims[0]);
        OnnxTensor? bias = node.Constant(2, "bias", optional: true);
        ConvolutionBase layer = transposed
            ? Transposed(node, dims, inChannels, outChannels, window, groups, bias is not null)
            : Convolution(dims, inChannels, outChannels, window, groups, bias is not null);
        node.Values(weight, "weight", layer.Weight.Shape.Dimensions).CopyTo(layer.Weight.Value.Data, 0);
        if (bias is not null)
        {
            node.Values(bias, "bias", [outChannels]).CopyTo(layer.Bias!.Value.Data, 0);
        }
        return layer;
    }

    /// <summary>MaxPool, AveragePool or LpPool.</summary>
    public static Layer Pooling(OnnxNodeReader node, Shape input, string opType)
    {
        int dims = input.Rank - 2;
        int[] kernel = node.Ints("kernel_shape", dims, []);
        if (dims is < 1 or > 3 || kernel.Length != dims)
        {
            throw node.Error($"kernel_shape must give one size for each of the {dims} spatial dimensions of input {input}");
        }
        Window w = ReadWindow(node, dims, kernel, transposed: false);
        bool ceil = node.Int("ceil_mode", 0) != 0;
        node.Require(node.Int("storage_order", 0) == 0, "storage_order", node.Int("storage_order", 0).ToString(), "only row-major indices exist here");
        return opType switch
        {
            "MaxPool" => dims switch
            {
                1 => new MaxPool1d(kernel, w.Stride, w.Explicit, w.Dilation, ceil),
                2 => new MaxPool2d(kernel, w.Stride, w.Explicit, w.Dilation, ceil),
                _ => new MaxPool3d(kernel, w.Stride, w.Explicit, w.Dilation, ceil),
            },
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
        return dims switch
        {
            1 => new AvgPool1d(kernel, w.Stride, w.Explicit, ceil, include),
            2 => new AvgPool2d(kernel, w.Stride, w.Explicit, ceil, include),
            _ => new AvgPool3d(kernel, w.Stride, w.Explicit, ceil, include),
        };
    }

    /// <summary>ONNX's LpPool sums |x|^p; Convolve's (PyTorch's) sums x^p: the same for even p without padding or clipped windows.</summary>
    private static Layer LpPool(OnnxNodeReader node, int dims, int[] kernel, Window w, bool ceil)
    {
        long p = node.Int("p", 2);
        node.Require(p > 0 && p % 2 == 0, "p", p.ToString(), "Convolve's LPPool raises x (not |x|) to p, which is the same only for an even p");
        node.Require(w.Explicit.All(v => v == 0), "pads", Shape.Format(w.Explicit), "Lp pooling has no padding here (as in PyTorch)");
        node.Require(w.Dilation.All(d => d == 1) && !ceil && dims <= 2, "dilations/ceil_mode", "", "Lp pooling is 1- or 2-d, without dilation or ceil mode here");
        return dims == 1 ? new LPPool1d(p, kernel, w.Stride) : new LPPool2d(p, kernel, w.Stride);
    }

    private static ConvolutionBase Convolution(int dims, int inChannels, int outChannels, Window w, int groups, bool bias) => dims switch
    {
        1 => new Conv1d(inChannels, outChannels, w.Kernel, w.Stride, w.Padding, w.Dilation, groups, bias, new RandomSource(0)),
        2 => new Conv2d(inChannels, outChannels, w.Kernel, w.Stride, w.Padding, w.Dilation, groups, bias, new RandomSource(0)),
        _ => new Conv3d(inChannels, outChannels, w.Kernel, w.Stride, w.Padding, w.Dilation, groups, bias, new RandomSource(0)),
    };

    private static ConvolutionBase Transposed(OnnxNodeReader node, int dims, int inChannels, int outChannels, Window w, int groups, bool bias)
    {
        int[] outputPadding = node.Ints("output_padding", dims, new int[dims]).Zip(w.Uncropped, (p, u) => p + u).ToArray();
        return dims switch
        {
            1 => new ConvTranspose1d(inChannels, outChannels, w.Kernel, w.Stride, w.Explicit, outputPadding, groups, bias, w.Dilation, new RandomSource(0)),
            2 => new ConvTranspose2d(inChannels, outChannels, w.Kernel, w.Stride, w.Explicit, outputPadding, groups, bias, w.Dilation, new RandomSource(0)),
            _ => new ConvTranspose3d(inChannels, outChannels, w.Kernel, w.Stride, w.Explicit, outputPadding, groups, bias, w.Dilation, new RandomSource(0)),
        };
    }

    /// <summary>The window attributes, with the padding resolved to symmetric sizes or "same".</summary>
    private static Window ReadWindow(OnnxNodeReader node, int dims, int[] kernel, bool transposed)
    {
        node.Require(node.Ints("kernel_shape", dims, kernel).SequenceEqual(kernel), "kernel_shape", "", "it disagrees with the weight's shape");
        int[] stride = node.Ints("strides", dims, Enumerable.Repeat(1, dims).ToArray());
        int[] dilation = node.Ints("dilations", dims, Enumerable.Repeat(1, dims).ToArray());
        int[] pads = node.Ints("pads", 2 * dims, new int[2 * dims]);
        string autoPad = node.String("auto_pad", "NOTSET");
        bool sameUpper = autoPad == "SAME_UPPER" && !transposed && stride.All(s => s == 1);
        node.Require(autoPad is "NOTSET" or "VALID" || sameUpper, "auto_pad", $"\"{autoPad}\"", "only NOTSET, VALID and (for a stride-1 convolution) SAME_UPPER are");
        if (autoPad == "VALID")
        {
            pads = new int[2 * dims];
        }
        int[] before = pads[..dims], after = pads[dims..];
        if (sameUpper || (!transposed && !before.SequenceEqual(after) && IsSame(before, after, kernel, stride, dilation)))
        {
            return new Window(kernel, stride, dilation, Padding.Same, new int[dims], new int[dims]);
        }
        // Less padding at the end of a transposed convolution uncrops its far end, as output padding does.
        bool uncrops = transposed && before.Zip(after).All(p => p.Second <= p.First);
        node.Require(before.SequenceEqual(after) || uncrops, "pads", Shape.Format(pads), "the padding must be the same at both ends of each dimension");
        return new Window(kernel, stride, dilation, before, before, before.Zip(after, (b, a) => b - a).ToArray());
    }

    private static bool IsSame(int[] before, int[] after, int[] kernel, int[] stride, int[] dilation) =>
        Enumerable.Range(0, kernel.Length).All(i =>
            stride[i] == 1 && before[i] == dilation[i] * (kernel[i] - 1) / 2 && after[i] == dilation[i] * (kernel[i] - 1) - before[i]);

    /// <summary>A window's sizes; <see cref="Explicit"/> holds the padding per dimension when it is explicit, <see cref="Uncropped"/> how much less a transposed convolution's end has.</summary>
    private sealed record Window(int[] Kernel, int[] Stride, int[] Dilation, Padding Padding, int[] Explicit, int[] Uncropped);
}
