using System.Buffers;
using System.Text;
using System.Text.Json;
using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Models;

/// <summary>
/// Writes a layer tree as the JSON of <see cref="ModelArchitecture"/>: one object per layer with its
/// type and every constructor option under PyTorch's argument names, spatial options as arrays
/// with one value per spatial dimension. <see cref="ArchitectureReader"/> is its inverse.
/// </summary>
internal static class ArchitectureWriter
{
    /// <summary>The JSON text of <paramref name="model"/>.</summary>
    public static string Write(Layer model, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            WriteLayer(writer, model, "", 1);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteLayer(Utf8JsonWriter writer, Layer layer, string path, int depth)
    {
        if (depth > ModelArchitecture.MaxDepth)
        {
            throw new ArgumentException(
                $"ModelArchitecture: layer {Describe(path)} nests deeper than {ModelArchitecture.MaxDepth} levels", nameof(layer));
        }
        writer.WriteStartObject();
        writer.WriteString("type", layer.GetType().Name);
        switch (layer)
        {
            case Sequential sequential:
                writer.WriteStartArray("layers");
                for (int i = 0; i < sequential.Count; i++)
                {
                    WriteLayer(writer, sequential[i], Child(path, i.ToString()), depth + 1);
                }
                writer.WriteEndArray();
                break;
            case Residual residual:
                writer.WritePropertyName("body");
                WriteLayer(writer, residual.Body, Child(path, "body"), depth + 1);
                writer.WritePropertyName("shortcut");
                if (residual.Shortcut is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    WriteLayer(writer, residual.Shortcut, Child(path, "shortcut"), depth + 1);
                }
                break;
            case Graph graph:
                writer.WriteString("input", graph.Input);
                writer.WriteString("output", graph.Output);
                writer.WriteStartArray("nodes");
                foreach (GraphNode node in graph.Nodes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", node.Name);
                    writer.WriteStartArray("inputs");
                    foreach (string input in node.Inputs)
                    {
                        writer.WriteStringValue(input);
                    }
                    writer.WriteEndArray();
                    writer.WritePropertyName("layer");
                    WriteLayer(writer, node.Layer, Child(path, node.Name), depth + 1);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
            default:
                WriteOptions(writer, layer, path);
                break;
        }
        writer.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter writer, Layer layer, string path)
    {
        switch (layer)
        {
            case ConvNd conv:
                WriteConvolution(writer, conv);
                WriteConvPadding(writer, conv);
                WriteSizes(writer, "dilation", conv.Geometry.Dilation);
                writer.WriteNumber("groups", conv.Groups);
                writer.WriteBoolean("bias", conv.Bias is not null);
                break;
            case ConvTransposeNd transposed:
                WriteConvolution(writer, transposed);
                WriteSizes(writer, "padding", transposed.Geometry.PadBefore);
                WriteSizes(writer, "output_padding", transposed.Geometry.OutputPadding);
                writer.WriteNumber("groups", transposed.Groups);
                writer.WriteBoolean("bias", transposed.Bias is not null);
                WriteSizes(writer, "dilation", transposed.Geometry.Dilation);
                break;
            case PoolingLayer pooling when pooling is MaxPoolNd or AvgPoolNd or LPPoolNd:
                WritePooling(writer, pooling);
                break;
            case AdaptiveAvgPool2d adaptive:
                WriteSizes(writer, "output_size", adaptive.OutputSize);
                break;
            default:
                WriteNonSpatialOptions(writer, layer, path);
                break;
        }
    }

    private static void WriteNonSpatialOptions(Utf8JsonWriter writer, Layer layer, string path)
    {
        switch (layer)
        {
            case Linear linear:
                writer.WriteNumber("in_features", linear.InFeatures);
                writer.WriteNumber("out_features", linear.OutFeatures);
                writer.WriteBoolean("bias", linear.Bias is not null);
                break;
            case BatchNorm norm when norm is BatchNorm1d or BatchNorm2d:
                writer.WriteNumber("num_features", norm.NumFeatures);
                writer.WriteNumber("eps", norm.Eps);
                writer.WriteNumber("momentum", norm.Momentum);
                writer.WriteBoolean("affine", norm.Affine);
                writer.WriteBoolean("track_running_stats", norm.TrackRunningStats);
                break;
            case LeakyReLU leaky:
                writer.WriteNumber("negative_slope", leaky.NegativeSlope);
                break;
            case ReLU or Sigmoid or Tanh:
                break;
            case Flatten flatten:
                writer.WriteNumber("start_dim", flatten.StartDim);
                writer.WriteNumber("end_dim", flatten.EndDim);
                break;
            case Dropout dropout:
                writer.WriteNumber("p", dropout.P);
                break;
            case ConstantPad pad:
                WriteSizes(writer, "padding_before", pad.PadBefore);
                WriteSizes(writer, "padding_after", pad.PadAfter);
                WriteFloat(writer, "value", pad.Value);
                break;
            default:
                WriteGraphLayerOptions(writer, layer, path);
                break;
        }
    }

    /// <summary>The layers that came with <see cref="Graph"/> (issue 19).</summary>
    private static void WriteGraphLayerOptions(Utf8JsonWriter writer, Layer layer, string path)
    {
        switch (layer)
        {
            case Hardtanh clip:
                WriteFloat(writer, "min_val", clip.MinVal);
                WriteFloat(writer, "max_val", clip.MaxVal);
                break;
            case SiLU or Hardswish or Hardsigmoid or GlobalMaxPool or Add or Mul:
                break;
            case Softmax softmax:
                writer.WriteNumber("dim", softmax.Dim);
                break;
            case ReduceMean mean:
                writer.WriteNumber("start_dim", mean.StartDim);
                writer.WriteBoolean("keepdim", mean.KeepDim);
                break;
            case Slice slice:
                writer.WriteNumber("dim", slice.Dim);
                writer.WriteNumber("start", slice.Start);
                writer.WriteNumber("end", slice.End);
                break;
            case ChannelShuffle shuffle:
                writer.WriteNumber("groups", shuffle.Groups);
                break;
            case Concat concat:
                writer.WriteNumber("dim", concat.Dim);
                break;
            default:
                throw new ArgumentException(
                    $"ModelArchitecture: layer {Describe(path)} is a {layer.GetType().FullName}, which has no architecture description; supported types: {string.Join(", ", ArchitectureReader.TypeNames)}",
                    nameof(layer));
        }
    }

    /// <summary>A number, or <c>"inf"</c> / <c>"-inf"</c>, which JSON cannot hold as numbers.</summary>
    private static void WriteFloat(Utf8JsonWriter writer, string name, float value)
    {
        if (float.IsInfinity(value))
        {
            writer.WriteString(name, value > 0 ? "inf" : "-inf");
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }

    private static void WriteConvolution(Utf8JsonWriter writer, ConvolutionBase conv)
    {
        writer.WriteNumber("in_channels", conv.InChannels);
        writer.WriteNumber("out_channels", conv.OutChannels);
        WriteSizes(writer, "kernel_size", conv.Geometry.Kernel);
        WriteSizes(writer, "stride", conv.Geometry.Stride);
    }

    /// <summary>A named mode is kept as PyTorch's string; explicit sizes as one value per dimension.</summary>
    private static void WriteConvPadding(Utf8JsonWriter writer, ConvNd conv)
    {
        if (conv.Padding.Mode == PaddingMode.Explicit)
        {
            WriteSizes(writer, "padding", conv.Geometry.PadBefore);
        }
        else
        {
            writer.WriteString("padding", conv.Padding.ToString());
        }
    }

    private static void WritePooling(Utf8JsonWriter writer, PoolingLayer pooling)
    {
        if (pooling is LPPoolNd lp)
        {
            writer.WriteNumber("norm_type", lp.NormType);
        }
        WriteSizes(writer, "kernel_size", pooling.Geometry.Kernel);
        WriteSizes(writer, "stride", pooling.Geometry.Stride);
        if (pooling is not LPPoolNd)
        {
            WriteSizes(writer, "padding", pooling.Geometry.PadBefore);
        }
        if (pooling is MaxPoolNd)
        {
            WriteSizes(writer, "dilation", pooling.Geometry.Dilation);
        }
        writer.WriteBoolean("ceil_mode", pooling.CeilMode);
        if (pooling is AvgPoolNd average)
        {
            writer.WriteBoolean("count_include_pad", average.CountIncludePad);
        }
    }

    private static void WriteSizes(Utf8JsonWriter writer, string name, int[] values)
    {
        writer.WriteStartArray(name);
        foreach (int value in values)
        {
            writer.WriteNumberValue(value);
        }
        writer.WriteEndArray();
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Describe(string path) => path.Length == 0 ? "(the model itself)" : $"\"{path}\"";
}
