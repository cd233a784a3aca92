using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Convolve.Tests.Serialization;

/// <summary>A checkpoint file split into header JSON and data, when its prefix and header still parse.</summary>
internal sealed record FuzzFile(JsonObject Header, long HeaderLength, byte[] Data)
{
    // Deeper files are left to byte-level mutations: System.Text.Json.Nodes is slow on thousands of levels.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static readonly JsonSerializerOptions WriteOptions = new()
    {
        MaxDepth = 64,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static FuzzFile? TryParse(byte[] file)
    {
        if (file.Length < 8)
        {
            return null;
        }
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (length > (ulong)(file.Length - 8))
        {
            return null;
        }
        if (!System.Text.Unicode.Utf8.IsValid(file.AsSpan(8, (int)length)))
        {
            return null;
        }
        try
        {
            var node = JsonNode.Parse(file.AsSpan(8, (int)length), documentOptions: DocumentOptions);
            Touch(node); // JsonObject reads keys and detects duplicates lazily: force it here
            _ = node?.ToJsonString(WriteOptions);
            return node is JsonObject header ? new FuzzFile(header, (long)length, file[(8 + (int)length)..]) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static void Touch(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                _ = key.Length;
                Touch(value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Touch(item);
            }
        }
    }

    /// <summary>The JSON value of <paramref name="text"/>, or null when it is not JSON.</summary>
    public static JsonNode? TryParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A raw JSON value (any text System.Text.Json can parse, kept verbatim when written).</summary>
    public static JsonNode? Raw(string json) => JsonNode.Parse(json, documentOptions: DocumentOptions);

    public List<string> TensorNames() => [.. Header.Select(p => p.Key).Where(k => k != "__metadata__")];

    /// <summary>Prefix with the true length, the header text padded by <paramref name="padding"/> spaces, the data.</summary>
    public static byte[] Assemble(string header, byte[] data, int padding)
    {
        byte[] text = Encoding.UTF8.GetBytes(header + new string(' ', padding));
        return CraftedFile.Build(text, data);
    }
}
