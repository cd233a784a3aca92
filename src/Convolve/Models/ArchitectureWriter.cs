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
                if (float.IsInfinity(pad.Value))
                {
                    writer.WriteString("value", pad.Value > 0 ? "inf" : "-inf");
                }
                else
                {
                    writer.WriteNumber("value", pad.Value);
                }
                break;
            default:
                throw new ArgumentException(
                    $"ModelArchitecture: layer {Describe(path)} is a {layer.GetType().FullName}, which has no architecture description; supported types: {string.Join(", ", ArchitectureReader.TypeNames)}",
                    nameof(layer));
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
