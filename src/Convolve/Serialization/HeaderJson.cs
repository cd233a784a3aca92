using System.Text;
using System.Text.Json;

namespace Convolve.Serialization;

/// <summary>Token-level reading helpers for <see cref="SafetensorsHeaderParser"/>; each failure names the token's offset.</summary>
internal static class HeaderJson
{
    private const int MaxQuotedBytes = 40;

    /// <summary>Advances to the next token; the header ending mid-value is an error.</summary>
    public static JsonTokenType Next(ref Utf8JsonReader reader, HeaderErrors errors)
    {
        if (!reader.Read())
        {
            throw errors.At(reader.BytesConsumed, "the header ends before its JSON is complete");
        }
        return reader.TokenType;
    }

    /// <summary>Requires the current token to be of <paramref name="type"/>; <paramref name="rule"/> says what was expected.</summary>
    public static void Expect(ref Utf8JsonReader reader, HeaderErrors errors, JsonTokenType type, string rule)
    {
        if (reader.TokenType != type)
        {
            throw errors.At(reader.TokenStartIndex, $"{rule} but is {Describe(ref reader)}");
        }
    }

    /// <summary>The current string or property name, unescaped; invalid escapes (lone surrogates) are errors.</summary>
    public static string ReadString(ref Utf8JsonReader reader, HeaderErrors errors, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw errors.At(reader.TokenStartIndex, $"{what} is not valid Unicode text: {e.Message}", e);
        }
    }

    /// <summary>A dtype string: exactly one of F32, F64, I32, I64, U8.</summary>
    public static TensorDType ReadDType(ref Utf8JsonReader reader, HeaderErrors errors, string name)
    {
        Next(ref reader, errors);
        const string Rule = "must be one of \"F32\", \"F64\", \"I32\", \"I64\", \"U8\"";
        Expect(ref reader, errors, JsonTokenType.String, $"dtype of tensor \"{name}\" {Rule}");
        string text = ReadString(ref reader, errors, $"dtype of tensor \"{name}\"");
        return TensorDTypes.TryParse(text, out var dtype)
            ? dtype
            : throw errors.At(reader.TokenStartIndex, $"dtype of tensor \"{name}\" {Rule} but is {Describe(ref reader)}");
    }

    /// <summary>A shape: an array of integers in [0, int.MaxValue].</summary>
    public static int[] ReadShape(ref Utf8JsonReader reader, HeaderErrors errors, string name)
    {
        Next(ref reader, errors);
        Expect(ref reader, errors, JsonTokenType.StartArray, $"shape of tensor \"{name}\" must be an array of non-negative integers");
        var dimensions = new List<int>();
        while (Next(ref reader, errors) != JsonTokenType.EndArray)
        {
            string what = $"dimension {dimensions.Count} of the shape of tensor \"{name}\"";
            dimensions.Add((int)ReadInteger(ref reader, errors, what, int.MaxValue));
        }
        return [.. dimensions];
    }

    /// <summary>Data offsets: exactly two integers <c>[begin, end]</c> with 0 ≤ begin ≤ end.</summary>
    public static long[] ReadOffsets(ref Utf8JsonReader reader, HeaderErrors errors, string name)
    {
        Next(ref reader, errors);
        long arrayAt = reader.TokenStartIndex;
        string rule = $"data_offsets of tensor \"{name}\" must be an array [begin, end] of two non-negative integers";
        Expect(ref reader, errors, JsonTokenType.StartArray, rule);
        var offsets = new long[2];
        int count = 0;
        while (Next(ref reader, errors) != JsonTokenType.EndArray)
        {
            if (count == 2)
            {
                throw errors.At(reader.TokenStartIndex, $"{rule} but has more than two entries");
            }
            offsets[count] = ReadInteger(ref reader, errors, $"{(count == 0 ? "begin" : "end")} of data_offsets of tensor \"{name}\"", long.MaxValue);
            count++;
        }
        if (count < 2)
        {
            throw errors.At(arrayAt, $"{rule} but has {count} entries");
        }
        if (offsets[0] > offsets[1])
        {
            throw errors.At(arrayAt, $"data_offsets of tensor \"{name}\" are [{offsets[0]}, {offsets[1]}] but begin must not exceed end");
        }
        return offsets;
    }

    private static long ReadInteger(ref Utf8JsonReader reader, HeaderErrors errors, string what, long max)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0 || value > max)
        {
            throw errors.At(reader.TokenStartIndex, $"{what} must be an integer in [0, {max}] but is {Describe(ref reader)}");
        }
        return value;
    }

    /// <summary>Describes the current token for a message: its kind, and its text for scalars (cut at 40 bytes).</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.String => $"the string \"{Cut(reader.ValueSpan)}\"",
        JsonTokenType.Number => $"the number {Cut(reader.ValueSpan)}",
        _ => reader.TokenType.ToString(),
    };

    private static string Cut(ReadOnlySpan<byte> raw) => raw.Length <= MaxQuotedBytes
        ? Encoding.UTF8.GetString(raw)
        : Encoding.UTF8.GetString(raw[..MaxQuotedBytes]) + "…";
}
