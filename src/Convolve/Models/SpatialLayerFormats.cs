using System.Text.Json;
using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Models;

/// <summary>
/// The formats of the layers that exist for 1, 2 and 3 spatial dimensions: convolution,
/// transposed convolution, max, average and Lp pooling. Every spatial option is an array with one
/// integer per spatial dimension; a convolution's padding may instead be <c>"valid"</c>,
/// <c>"same"</c> or <c>"full"</c>.
/// </summary>
internal static class SpatialLayerFormats
{
    private static readonly string[] ConvolutionFields = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"];
    private static readonly string[] TransposedFields = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation"];
    private static readonly string[] MaxPoolFields = ["kernel_size", "stride", "padding", "dilation", "ceil_mode"];
    private static readonly string[] AvgPoolFields = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"];
    private static readonly string[] LPPoolFields = ["norm_type", "kernel_size", "stride", "ceil_mode"];

    /// <summary>Registers every spatial type through <paramref name="add"/>(type, fields, build).</summary>
    public static void AddTo(Action<string, string[], Func<ArchitectureFields, ArchitectureReader, Layer>> add)
    {
        void ForEachDimension(string family, string[] fields, Func<ArchitectureFields, int, ArchitectureReader, Layer> build)
        {
            for (int dims = 1; dims <= 3; dims++)
            {
                int d = dims;
                add($"{family}{d}d", fields, (f, r) => build(f, d, r));
            }
        }
        ForEachDimension("Conv", ConvolutionFields, Convolution);
        ForEachDimension("ConvTranspose", TransposedFields, Transposed);
        ForEachDimension("MaxPool", MaxPoolFields, (f, d, _) => MaxPool(f, d));
        ForEachDimension("AvgPool", AvgPoolFields, (f, d, _) => AvgPool(f, d));
        add(nameof(LPPool1d), LPPoolFields, (f, _) => new LPPool1d(f.Number("norm_type"), f.Ints("kernel_size", 1), f.Ints("stride", 1), f.Bool("ceil_mode")));
        add(nameof(LPPool2d), LPPoolFields, (f, _) => new LPPool2d(f.Number("norm_type"), f.Ints("kernel_size", 2), f.Ints("stride", 2), f.Bool("ceil_mode")));
    }

    private static ConvNd Convolution(ArchitectureFields f, int d, ArchitectureReader r)
    {
        var (inChannels, outChannels) = (f.Int("in_channels"), f.Int("out_channels"));
        var (kernel, stride, padding) = (f.Ints("kernel_size", d), f.Ints("stride", d), ConvolutionPadding(f, d));
        var (dilation, groups, bias) = (f.Ints("dilation", d), f.Int("groups"), f.Bool("bias"));
        return d switch
        {
            1 => new Conv1d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, r.Random),
            2 => new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, r.Random),
            _ => new Conv3d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, r.Random),
        };
    }

    private static ConvTransposeNd Transposed(ArchitectureFields f, int d, ArchitectureReader r)
    {
        var (inChannels, outChannels) = (f.Int("in_channels"), f.Int("out_channels"));
        var (kernel, stride, padding) = (f.Ints("kernel_size", d), f.Ints("stride", d), f.Ints("padding", d));
        var (outputPadding, groups, bias, dilation) = (f.Ints("output_padding", d), f.Int("groups"), f.Bool("bias"), f.Ints("dilation", d));
        return d switch
        {
            1 => new ConvTranspose1d(inChannels, outChannels, kernel, stride, padding, outputPadding, groups, bias, dilation, r.Random),
            2 => new ConvTranspose2d(inChannels, outChannels, kernel, stride, padding, outputPadding, groups, bias, dilation, r.Random),
            _ => new ConvTranspose3d(inChannels, outChannels, kernel, stride, padding, outputPadding, groups, bias, dilation, r.Random),
        };
    }

    private static MaxPoolNd MaxPool(ArchitectureFields f, int d)
    {
        var (kernel, stride, padding) = (f.Ints("kernel_size", d), f.Ints("stride", d), f.Ints("padding", d));
        var (dilation, ceilMode) = (f.Ints("dilation", d), f.Bool("ceil_mode"));
        return d switch
        {
            1 => new MaxPool1d(kernel, stride, padding, dilation, ceilMode),
            2 => new MaxPool2d(kernel, stride, padding, dilation, ceilMode),
            _ => new MaxPool3d(kernel, stride, padding, dilation, ceilMode),
        };
    }

    private static AvgPoolNd AvgPool(ArchitectureFields f, int d)
    {
        var (kernel, stride, padding) = (f.Ints("kernel_size", d), f.Ints("stride", d), f.Ints("padding", d));
        var (ceilMode, countIncludePad) = (f.Bool("ceil_mode"), f.Bool("count_include_pad"));
        return d switch
        {
            1 => new AvgPool1d(kernel, stride, padding, ceilMode, countIncludePad),
            2 => new AvgPool2d(kernel, stride, padding, ceilMode, countIncludePad),
            _ => new AvgPool3d(kernel, stride, padding, ceilMode, countIncludePad),
        };
    }

    /// <summary>One integer per spatial dimension, or PyTorch's mode strings (and Convolve's <c>"full"</c>).</summary>
    private static Padding ConvolutionPadding(ArchitectureFields f, int d)
    {
        JsonElement value = f.Element("padding");
        if (value.ValueKind == JsonValueKind.Array)
        {
            return ArchitectureFields.Ints(value, f.FieldPath("padding"), d);
        }
        return (value.ValueKind == JsonValueKind.String ? value.GetString() : null) switch
        {
            "valid" => Padding.Valid,
            "same" => Padding.Same,
            "full" => Padding.Full,
            _ => throw ArchitectureFields.Error(f.FieldPath("padding"), $"an array of {d} integers or one of \"valid\", \"same\", \"full\"", value),
        };
    }
}
