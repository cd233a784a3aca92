using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Convolve.Tensors;

namespace Convolve.Serialization;

/// <summary>
/// The checksums a checkpoint carries in its metadata under <see cref="CheckpointFormat.ChecksumsKey"/>:
/// a CRC-64 of every tensor (its dtype, its shape and its bytes) and of every other metadata value
/// (the architecture among them), as the JSON
/// <c>{"algorithm": "crc64-xz", "tensors": {NAME: HEX, ...}, "metadata": {KEY: HEX, ...}}</c>.
/// The writer computes them; the reader and the inspector verify them, and a mismatch names the
/// tensor or the metadata key. A file without them (written by another tool or an older Convolve)
/// is read unverified.
/// </summary>
internal sealed class CheckpointChecksums
{
    /// <summary>The only algorithm written and read.</summary>
    public const string Algorithm = "crc64-xz";

    private static readonly string[] Fields = ["algorithm", "tensors", "metadata"];
    private readonly Dictionary<string, ulong> tensors;
    private readonly string source;

    private CheckpointChecksums(Dictionary<string, ulong> tensors, string source) => (this.tensors, this.source) = (tensors, source);

    /// <summary>The JSON value of <see cref="CheckpointFormat.ChecksumsKey"/> for content about to be written.</summary>
    public static string Compute(IReadOnlyList<TensorData> tensorList, IReadOnlyDictionary<string, string> metadata) => Compose(
        tensorList.ToDictionary(t => t.Name, t => Crc64.Finish(Crc64.Update(Start(t.DType, t.Shape), t.Bytes)), StringComparer.Ordinal),
        metadata.Where(p => p.Key != CheckpointFormat.ChecksumsKey).ToDictionary(p => p.Key, p => Crc64.Compute(Encoding.UTF8.GetBytes(p.Value)), StringComparer.Ordinal));

    /// <summary>The one canonical text of a set of checksums: names in ordinal order, lowercase hex, no spaces.</summary>
    private static string Compose(Dictionary<string, ulong> tensorSums, Dictionary<string, ulong> metadataSums)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("algorithm", Algorithm);
            foreach (var (section, sums) in (ReadOnlySpan<(string, Dictionary<string, ulong>)>)[("tensors", tensorSums), ("metadata", metadataSums)])
            {
                json.WriteStartObject(section);
                foreach (var (name, sum) in sums.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(name, Crc64.Format(sum));
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The checksums of a parsed header, or null when it has none; checks their form, that they
    /// cover exactly the header's tensors and metadata, and every metadata value.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The checksums are malformed, incomplete, or a metadata value does not match.</exception>
    public static CheckpointChecksums? Read(ParsedHeader header, string source)
    {
        var metadata = header.Metadata;
        if (metadata is null || !metadata.TryGetValue(CheckpointFormat.ChecksumsKey, out string? text))
        {
            return null;
        }
        var (tensorSums, metadataSums) = Parse(text, source);
        if (Compose(tensorSums, metadataSums) != text)
        {
            // Only the writer's own form is accepted, so a loaded file saves back to the same bytes.
            throw Malformed(source, "it is not in the form the writer produces (names in ordinal order, lowercase hex digits, no spaces)");
        }
        RequireSameNames(tensorSums.Keys, header.Entries.Select(e => e.Name), "tensor", source);
        RequireSameNames(metadataSums.Keys, metadata.Keys.Where(k => k != CheckpointFormat.ChecksumsKey), "metadata value", source);
        foreach (var (key, expected) in metadataSums)
        {
            ulong actual = Crc64.Compute(Encoding.UTF8.GetBytes(metadata[key]));
            if (actual != expected)
            {
                throw Mismatch(source, null, $"metadata \"{key}\"", expected, actual);
            }
        }
        return new CheckpointChecksums(tensorSums, source);
    }

    /// <summary>The running CRC state after a tensor's dtype and shape, before its bytes.</summary>
    public static ulong Start(TensorDType dtype, Shape shape) =>
        Crc64.Update(Crc64.Initial, Encoding.ASCII.GetBytes($"{dtype.HeaderName()}:{string.Join(",", shape)};"));

    /// <summary>Compares the finished state of a tensor's bytes with its stored checksum.</summary>
    /// <exception cref="CheckpointFormatException">They differ; the message names the tensor.</exception>
    public void Verify(TensorEntry entry, ulong state, long fileOffset)
    {
        ulong actual = Crc64.Finish(state);
        ulong expected = tensors[entry.Name];
        if (actual != expected)
        {
            throw Mismatch(source, fileOffset, $"tensor \"{entry.Name}\" ({entry.DType.HeaderName()} {entry.Shape})", expected, actual);
        }
    }

    private static CheckpointFormatException Mismatch(string source, long? offset, string what, ulong expected, ulong actual) =>
        new(source, offset, $"{what} does not match its checksum (stored {Crc64.Format(expected)}, computed {Crc64.Format(actual)}): the file was damaged or changed after it was saved");

    private static (Dictionary<string, ulong> Tensors, Dictionary<string, ulong> Metadata) Parse(string text, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 3 });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(source, $"it must be an object with exactly {string.Join(", ", Fields)} but is {root.ValueKind}");
            }
            var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name) || !found.TryAdd(property.Name, property.Value))
                {
                    throw Malformed(source, $"it must be an object with exactly {string.Join(", ", Fields)}, each once, but has \"{property.Name}\"");
                }
            }
            if (found.Count != Fields.Length)
            {
                throw Malformed(source, $"it must have {string.Join(", ", Fields)} but has only {string.Join(", ", found.Keys)}");
            }
            JsonElement algorithm = found["algorithm"];
            if (algorithm.ValueKind != JsonValueKind.String || algorithm.GetString() != Algorithm)
            {
                throw Malformed(source, $"the algorithm must be \"{Algorithm}\" but is {algorithm.GetRawText()}");
            }
            return (Sums(found["tensors"], "tensors", source), Sums(found["metadata"], "metadata", source));
        }
        catch (JsonException ex)
        {
            throw Malformed(source, $"not valid JSON: {ex.Message}");
        }
    }

    private static Dictionary<string, ulong> Sums(JsonElement element, string what, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(source, $"\"{what}\" must be an object of 16-digit hex strings");
        }
        var sums = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string? hex = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            if (hex is not { Length: 16 } || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong sum))
            {
                throw Malformed(source, $"the checksum of {what} \"{property.Name}\" must be 16 hex digits but is {property.Value.GetRawText()}");
            }
            if (!sums.TryAdd(property.Name, sum))
            {
                throw Malformed(source, $"{what} \"{property.Name}\" has two checksums");
            }
        }
        return sums;
    }

    private static void RequireSameNames(IEnumerable<string> summed, IEnumerable<string> present, string what, string source)
    {
        var sums = summed.ToHashSet(StringComparer.Ordinal);
        var names = present.ToHashSet(StringComparer.Ordinal);
        string? unsummed = names.Where(n => !sums.Contains(n)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (unsummed is not null)
        {
            throw new CheckpointFormatException(source, null, $"{what} \"{unsummed}\" has no checksum: it was added after the file was saved, or the checksums were damaged");
        }
        string? absent = sums.Where(n => !names.Contains(n)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (absent is not null)
        {
            throw new CheckpointFormatException(source, null, $"the checksums list {what} \"{absent}\", which the file does not have: it was removed after the file was saved");
        }
    }

    private static CheckpointFormatException Malformed(string source, string problem) =>
        new(source, null, $"metadata \"{CheckpointFormat.ChecksumsKey}\" is malformed: {problem}");
}
