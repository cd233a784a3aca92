using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Convolve.Serialization;

/// <summary>
/// Encodes validated content in the safetensors layout: the 8-byte little-endian header length,
/// the JSON header (metadata first, then tensors in name order with contiguous data_offsets)
/// padded with spaces to a multiple of 8 bytes as the reference writer does, then the data.
/// </summary>
internal static class SafetensorsEncoder
{
    // Relaxed escaping keeps non-ASCII text and quotes inside metadata (architecture JSON)
    // readable in the file; the header is never embedded in HTML, where that would matter.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The padded header bytes.</summary>
    /// <exception cref="ArgumentException">The header would exceed <see cref="CheckpointFormat.MaxHeaderLength"/>.</exception>
    public static byte[] EncodeHeader(CheckpointContent content)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteStartObject(CheckpointFormat.MetadataKey);
            foreach (var (key, value) in content.Metadata)
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
            long offset = 0;
            foreach (var tensor in content.Tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.HeaderName());
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.ByteLength;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Pad(buffer.WrittenSpan);
    }

    /// <summary>Writes prefix, header and data to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, byte[] header, CheckpointContent content)
    {
        Span<byte> prefix = stackalloc byte[CheckpointFormat.PrefixLength];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var tensor in content.Tensors)
        {
            stream.Write(tensor.Bytes);
        }
    }

    private static byte[] Pad(ReadOnlySpan<byte> json)
    {
        long padded = (json.Length + 7L) / 8 * 8;
        if (padded > CheckpointFormat.MaxHeaderLength)
        {
            throw new ArgumentException(
                $"the checkpoint header would be {padded} bytes, more than the {CheckpointFormat.MaxHeaderLength} a reader accepts; store large data as tensors, not metadata",
                "metadata");
        }
        var header = new byte[padded];
        json.CopyTo(header);
        header.AsSpan(json.Length).Fill((byte)' ');
        return header;
    }
}
