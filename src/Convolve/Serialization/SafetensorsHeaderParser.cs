using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Convolve.Tensors;

namespace Convolve.Serialization;

/// <summary>
/// Parses and checks a safetensors JSON header with a streaming <see cref="Utf8JsonReader"/>, so
/// that every error carries the file offset of the offending token. Accepts exactly:
/// an object whose keys are unique, non-empty tensor names mapping to
/// <c>{"dtype": KNOWN, "shape": [non-negative ints], "data_offsets": [begin, end]}</c> (each key
/// once, no others) with <c>shape × dtype size == end − begin</c>, plus an optional
/// <c>"__metadata__"</c> object of string values.
/// </summary>
internal sealed class SafetensorsHeaderParser
{
    private readonly HeaderErrors errors;
    private readonly List<TensorEntry> entries = [];
    private Dictionary<string, string>? metadata;

    private SafetensorsHeaderParser(HeaderErrors errors) => this.errors = errors;

    /// <summary>Parses <paramref name="header"/>, which starts at file offset <paramref name="headerStart"/>.</summary>
    /// <exception cref="CheckpointFormatException">Any deviation from the expected header.</exception>
    public static ParsedHeader Parse(ReadOnlySpan<byte> header, string source, long headerStart)
    {
        var errors = new HeaderErrors(source, headerStart);
        CheckEncoding(header, errors);
        var parser = new SafetensorsHeaderParser(errors);
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = CheckpointFormat.MaxJsonDepth });
        try
        {
            parser.ParseRoot(ref reader);
        }
        catch (JsonException e)
        {
            throw errors.At(HeaderErrors.OffsetOf(header, e), $"the header is not well-formed JSON: {e.Message}", e);
        }
        return new ParsedHeader(parser.entries, parser.metadata);
    }

    private static void CheckEncoding(ReadOnlySpan<byte> header, HeaderErrors errors)
    {
        if (header[0] != (byte)'{')
        {
            throw errors.At(0, $"the header must start with '{{' but starts with byte 0x{header[0]:X2}");
        }
        if (!Utf8.IsValid(header))
        {
            int at = 0;
            while (Rune.DecodeFromUtf8(header[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
            {
                at += consumed;
            }
            throw errors.At(at, "the header is not valid UTF-8 text");
        }
    }

    private void ParseRoot(ref Utf8JsonReader reader)
    {
        HeaderJson.Next(ref reader, errors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (HeaderJson.Next(ref reader, errors) == JsonTokenType.PropertyName)
        {
            long at = reader.TokenStartIndex;
            string name = HeaderJson.ReadString(ref reader, errors, "an entry name");
            if (!names.Add(name))
            {
                throw errors.At(at, $"the header has two entries named \"{name}\"; names must be unique");
            }
            HeaderJson.Next(ref reader, errors);
            if (name == CheckpointFormat.MetadataKey)
            {
                metadata = ParseMetadata(ref reader);
            }
            else
            {
                entries.Add(ParseEntry(ref reader, name, errors.FileOffset(at)));
            }
        }
        if (reader.Read())
        {
            throw errors.At(reader.TokenStartIndex, "unexpected content after the header's closing '}'");
        }
    }

    private TensorEntry ParseEntry(ref Utf8JsonReader reader, string name, long at)
    {
        if (name.Length == 0)
        {
            throw errors.AtFile(at, "a tensor has an empty name; names must be non-empty");
        }
        HeaderJson.Expect(ref reader, errors, JsonTokenType.StartObject,
            $"tensor \"{name}\" must be an object {{\"dtype\", \"shape\", \"data_offsets\"}}");
        TensorDType? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        while (HeaderJson.Next(ref reader, errors) == JsonTokenType.PropertyName)
        {
            long keyAt = reader.TokenStartIndex;
            string key = HeaderJson.ReadString(ref reader, errors, $"a key of tensor \"{name}\"");
            if (key is "dtype" && dtype is null)
            {
                dtype = HeaderJson.ReadDType(ref reader, errors, name);
            }
            else if (key is "shape" && shape is null)
            {
                shape = HeaderJson.ReadShape(ref reader, errors, name);
            }
            else if (key is "data_offsets" && offsets is null)
            {
                offsets = HeaderJson.ReadOffsets(ref reader, errors, name);
            }
            else
            {
                throw errors.At(keyAt, key is "dtype" or "shape" or "data_offsets"
                    ? $"tensor \"{name}\" has key \"{key}\" twice"
                    : $"tensor \"{name}\" has unknown key \"{key}\"; expected only dtype, shape and data_offsets");
            }
        }
        string? missing = dtype is null ? "dtype" : shape is null ? "shape" : offsets is null ? "data_offsets" : null;
        if (missing is not null)
        {
            throw errors.AtFile(at, $"tensor \"{name}\" has no \"{missing}\"; every tensor needs dtype, shape and data_offsets");
        }
        return Build(name, dtype!.Value, shape!, offsets!, at);
    }

    private TensorEntry Build(string name, TensorDType dtype, int[] shape, long[] offsets, long at)
    {
        // Checked long arithmetic throughout; the element count is capped per step exactly as
        // Shape does, so the Shape made below cannot throw.
        long count = 1;
        foreach (int dimension in shape)
        {
            count = checked(count * dimension);
            if (count > Array.MaxLength)
            {
                throw errors.AtFile(at, $"tensor \"{name}\" has shape {Shape.Format(shape)}: more than {Array.MaxLength} elements, the most one array holds");
            }
        }
        long byteLength = checked(count * dtype.ElementSize());
        if (byteLength > Array.MaxLength)
        {
            throw errors.AtFile(at, $"tensor \"{name}\" ({dtype.HeaderName()} {Shape.Format(shape)}) needs {byteLength} bytes, more than the {Array.MaxLength} one array holds");
        }
        long span = checked(offsets[1] - offsets[0]);
        if (span != byteLength)
        {
            throw errors.AtFile(at, $"tensor \"{name}\" is {dtype.HeaderName()} {Shape.Format(shape)}, which needs {count} × {dtype.ElementSize()} = {byteLength} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {span}");
        }
        return new TensorEntry(name, dtype, new Shape(shape), offsets[0], offsets[1], at);
    }

    private Dictionary<string, string> ParseMetadata(ref Utf8JsonReader reader)
    {
        HeaderJson.Expect(ref reader, errors, JsonTokenType.StartObject, "__metadata__ must be an object of string values");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (HeaderJson.Next(ref reader, errors) == JsonTokenType.PropertyName)
        {
            long keyAt = reader.TokenStartIndex;
            string key = HeaderJson.ReadString(ref reader, errors, "a metadata key");
            HeaderJson.Next(ref reader, errors);
            HeaderJson.Expect(ref reader, errors, JsonTokenType.String, $"metadata value \"{key}\" must be a string");
            string value = HeaderJson.ReadString(ref reader, errors, $"metadata value \"{key}\"");
            if (!map.TryAdd(key, value))
            {
                throw errors.At(keyAt, $"__metadata__ has key \"{key}\" twice");
            }
        }
        return map;
    }
}
