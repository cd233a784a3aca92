using System.Text.Json.Nodes;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

/// <summary>
/// JSON edits of a parsed header, re-assembled with a correct length so that the reader's deeper
/// rules are reached: dtypes, shapes, offsets, names, metadata, unknown and missing keys, deep
/// nesting, huge numbers, duplicated keys, and benign edits that keep the file valid.
/// </summary>
internal sealed class HeaderMutator(RandomSource random)
{
    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "2", "3", "4", "7", "8", "16", "1.5", "-0", "1e3", "1e400", "0.0", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "123456789012345678901234567890",
    ];

    private static readonly string[] Values = ["\"3\"", "null", "true", "[]", "{}", "[1,2]", "\"F32\"", "[0,4]", "{\"a\":1}"];

    private static readonly string[] Dtypes = ["\"F32\"", "\"F64\"", "\"I32\"", "\"I64\"", "\"U8\"", "\"BF16\"", "\"f32\"", "\"\"", "\"F16\"", "\"BOOL\""];

    // Raw JSON string contents, escapes included: a lone surrogate escape must reach the reader as text.
    private static readonly string[] Names = ["", "__metadata__", "a", "w", "e\u0301", "\\ud800", "\\udc00x", "x\\u0000y", "dtype", "\\\""];

    public byte[] Mutate(FuzzFile file, List<string> log)
    {
        var root = file.Header;
        var names = file.TensorNames();
        string? tensor = names.Count > 0 ? names[random.NextInt(names.Count)] : null;
        var entry = tensor is null ? null : root[tensor] as JsonObject;
        string? duplicate = null;
        switch (random.NextInt(11))
        {
            case 0 when entry is not null:
                entry["dtype"] = Pick(Dtypes, log, $"dtype of {tensor}");
                break;
            case 1 when entry is not null && entry["shape"] is JsonArray shape:
                EditArray(shape, log, $"shape of {tensor}");
                break;
            case 2 when entry is not null && entry["data_offsets"] is JsonArray offsets:
                EditArray(offsets, log, $"data_offsets of {tensor}");
                break;
            case 3 when tensor is not null:
                duplicate = Rename(root, tensor, log);
                break;
            case 4:
                EditMetadata(root, log);
                break;
            case 5 when entry is not null:
                EditKeys(entry, log, tensor!);
                break;
            case 6:
                duplicate = Nest(root, entry, tensor, log);
                break;
            case 7 when entry is not null:
                ReplaceNumber(entry, tensor!, log);
                break;
            case 8:
                duplicate = DuplicateMember(root, entry, tensor, log);
                break;
            default:
                return Benign(file, log);
        }
        string text = duplicate ?? root.ToJsonString(FuzzFile.WriteOptions);
        return FuzzFile.Assemble(text, file.Data, random.NextInt(3) == 0 ? random.NextInt(9) : 0);
    }

    private string? Rename(JsonObject root, string tensor, List<string> log)
    {
        string name = Pick(Names);
        log.Add($"rename {tensor} to \"{name}\"");
        string text = root.ToJsonString(FuzzFile.WriteOptions);
        string member = System.Text.Json.JsonSerializer.Serialize(tensor, FuzzFile.WriteOptions) + ":";
        int at = text.IndexOf(member, StringComparison.Ordinal);
        return at < 0 ? null : text[..at] + "\"" + name + "\":" + text[(at + member.Length)..];
    }

    private void ReplaceNumber(JsonObject entry, string tensor, List<string> log)
    {
        string key = random.NextInt(2) == 0 ? "shape" : "data_offsets";
        if (entry[key] is JsonArray { Count: > 0 } array)
        {
            array[random.NextInt(array.Count)] = Pick(Numbers, log, $"a number in {tensor}.{key}");
        }
    }

    private void EditArray(JsonArray array, List<string> log, string what)
    {
        int choice = random.NextInt(4);
        if (choice == 0)
        {
            array.Add(Pick(Numbers, log, $"append to {what}"));
        }
        else if (choice == 1 && array.Count > 0)
        {
            log.Add($"remove last of {what}");
            array.RemoveAt(array.Count - 1);
        }
        else if (array.Count > 0)
        {
            array[random.NextInt(array.Count)] = Pick(choice == 2 ? Numbers : Values, log, $"an element of {what}");
        }
    }

    private void EditMetadata(JsonObject root, List<string> log)
    {
        if (root["__metadata__"] is not JsonObject metadata || random.NextInt(5) == 0)
        {
            root["__metadata__"] = Pick([.. Values, "{\"format\":\"convolve-checkpoint\",\"format_version\":\"1\"}"], log, "__metadata__");
            return;
        }
        string[] keys = ["format", "format_version", "epoch", "architecture"];
        string key = keys[random.NextInt(keys.Length)];
        if (random.NextInt(3) == 0)
        {
            log.Add($"remove metadata {key}");
            metadata.Remove(key);
            return;
        }
        metadata[key] = Pick([.. Values, .. Numbers, "\"2\"", "\"convolve-checkpoint\"", "\"1\""], log, $"metadata {key}");
    }

    private void EditKeys(JsonObject entry, List<string> log, string tensor)
    {
        if (random.NextInt(2) == 0)
        {
            string[] keys = ["dtype", "shape", "data_offsets"];
            string key = keys[random.NextInt(3)];
            log.Add($"remove {tensor}.{key}");
            entry.Remove(key);
        }
        else
        {
            entry["stride"] = Pick(Values, log, $"add {tensor}.stride");
        }
    }

    // Deep nesting is spliced in as text: System.Text.Json.Nodes is slow on thousands of levels.
    private string Nest(JsonObject root, JsonObject? entry, string? tensor, List<string> log)
    {
        int depth = 1 + random.NextInt(random.NextInt(2) == 0 ? 8 : 3000);
        string nested = random.NextInt(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        string text = root.ToJsonString(FuzzFile.WriteOptions);
        if (entry?["shape"] is JsonNode shape && random.NextInt(2) == 0)
        {
            log.Add($"nest {depth} deep in {tensor}.shape");
            string whole = entry.ToJsonString(FuzzFile.WriteOptions);
            string edited = whole.Replace("\"shape\":" + shape.ToJsonString(FuzzFile.WriteOptions), "\"shape\":" + nested, StringComparison.Ordinal);
            return text.Replace(whole, edited, StringComparison.Ordinal);
        }
        log.Add($"nest {depth} deep in a new root member");
        return "{\"deep\":" + nested + (root.Count > 0 ? "," : "") + text[1..];
    }

    private string? DuplicateMember(JsonObject root, JsonObject? entry, string? tensor, List<string> log)
    {
        string text = root.ToJsonString(FuzzFile.WriteOptions);
        JsonObject target = entry is not null && random.NextInt(2) == 0 ? entry : root;
        if (target.Count == 0)
        {
            return null;
        }
        var member = target.ElementAt(random.NextInt(target.Count));
        string copy = System.Text.Json.JsonSerializer.Serialize(member.Key, FuzzFile.WriteOptions) + ":" + (member.Value?.ToJsonString(FuzzFile.WriteOptions) ?? "null");
        string whole = target.ToJsonString(FuzzFile.WriteOptions);
        log.Add($"duplicate member {member.Key} of {(ReferenceEquals(target, root) ? "root" : tensor)}");
        string edited = "{" + copy + "," + whole[1..];
        return ReferenceEquals(target, root) ? edited : text.Replace(whole, edited, StringComparison.Ordinal);
    }

    // Edits a reader must accept: reorder members, add a metadata key, reshape a U8 tensor keeping its size.
    private byte[] Benign(FuzzFile file, List<string> log)
    {
        var root = file.Header;
        var members = root.ToList();
        root.Clear();
        foreach (var (key, value) in members.OrderBy(_ => random.NextUInt64()))
        {
            root[key] = value;
        }
        if (root["__metadata__"] is JsonObject metadata)
        {
            metadata["note"] = $"fuzz {random.NextInt(1000)}";
        }
        var u8 = root.Select(p => p.Value).OfType<JsonObject>()
            .FirstOrDefault(o => o["dtype"]?.ToJsonString() == "\"U8\"" && o["shape"] is JsonArray { Count: 1 });
        if (u8?["shape"]?[0] is JsonValue first && first.TryGetValue(out int n) && n % 2 == 0)
        {
            u8["shape"] = FuzzFile.Raw($"[2,{n / 2}]");
        }
        log.Add("benign: reorder members, add metadata note, reshape a U8 tensor");
        return FuzzFile.Assemble(root.ToJsonString(FuzzFile.WriteOptions), file.Data, random.NextInt(8));
    }

    private JsonNode? Pick(string[] choices, List<string> log, string what)
    {
        string value = Pick(choices);
        log.Add($"{what} := {(value.Length > 40 ? value[..40] + "…" : value)}");
        return FuzzFile.Raw(value);
    }

    private string Pick(string[] choices) => choices[random.NextInt(choices.Length)];
}
