using System.Text.Json.Nodes;
using Convolve.Serialization;
using Convolve.Tensors;
using Convolve.Tests.Serialization;

namespace Convolve.Tests.Fuzzing;

/// <summary>
/// Mutations of model and training checkpoints that know what the metadata means: edits inside
/// the architecture, loader-state and class-name JSON (sizes set to 0, −1 or ten million, types
/// swapped, fields removed), scalar metadata set to odd values, tensors retyped or reshaped keeping
/// their byte count, keys removed. Half the time the checksums are then recomputed, as a writer
/// with a bug would, so that the checks behind them are reached too; otherwise the byte-level
/// mutations of <see cref="CheckpointMutator"/> apply.
/// </summary>
internal sealed class ModelFileMutator(RandomSource random)
{
    private static readonly string[] Numbers = ["0", "-1", "1", "2", "3", "7", "10000000", "1000000", "2147483647", "2147483648", "1.5", "1e309"];
    private static readonly string[] Values = ["\"3\"", "null", "true", "[]", "{}", "[1,2]", "\"same\""];
    private static readonly string[] Scalars = ["-1", "0", "1", "2", "none", "", "NaN", "1e309", "abc", "2147483648", "0.5", "[]", "{}"];
    private static readonly string[] JsonKeys = ["architecture", "architecture", "architecture", "loader_state", "global_random_state", "class_names", "recipe"];
    private static readonly string[] ScalarKeys = ["epoch", "global_step", "best_accuracy", "best_epoch", "normalization_mean", "normalization_std", "kind", "run_id"];

    private readonly CheckpointMutator bytes = new(random);

    public byte[] Mutate(byte[] file, List<string> log)
    {
        var parts = FuzzFile.TryParse(file);
        if (parts?.Header["__metadata__"] is not JsonObject metadata || random.NextInt(3) == 0)
        {
            return bytes.Mutate(file, log);
        }
        bool signed = metadata.ContainsKey(CheckpointFormat.ChecksumsKey);
        switch (random.NextInt(6))
        {
            case 0 or 1:
                EditJson(metadata, log);
                break;
            case 2:
                string key = ScalarKeys[random.NextInt(ScalarKeys.Length)];
                metadata[key] = Scalars[random.NextInt(Scalars.Length)];
                log.Add($"metadata {key} := \"{metadata[key]}\"");
                break;
            case 3:
                Retype(parts, log);
                break;
            case 4:
                Reshape(parts, log);
                break;
            default:
                string removed = metadata.Select(p => p.Key).ElementAt(random.NextInt(metadata.Count));
                metadata.Remove(removed);
                log.Add($"remove metadata {removed}");
                break;
        }
        if (signed && random.NextInt(2) == 0)
        {
            Resign(parts, log);
        }
        return FuzzFile.Assemble(parts.Header.ToJsonString(FuzzFile.WriteOptions), parts.Data, 0);
    }

    /// <summary>Parses a JSON metadata value and edits one of its nodes.</summary>
    private void EditJson(JsonObject metadata, List<string> log)
    {
        string key = JsonKeys[random.NextInt(JsonKeys.Length)];
        if (metadata[key] is not JsonValue value || !value.TryGetValue(out string? text) || FuzzFile.TryParseJson(text) is not { } node)
        {
            return;
        }
        var nodes = new List<JsonNode>();
        Collect(node, nodes);
        JsonNode target = nodes[random.NextInt(nodes.Count)];
        var (edit, replacement) = EditNode(target);
        log.Add($"{key}: {edit}");
        metadata[key] = (replacement ?? node).ToJsonString(FuzzFile.WriteOptions);
    }

    /// <summary>Edits <paramref name="target"/> in place; returns what was done, and a new root when the target was the root value.</summary>
    private (string Edit, JsonNode? Replacement) EditNode(JsonNode target)
    {
        string value = random.NextInt(3) == 0 ? Values[random.NextInt(Values.Length)] : Numbers[random.NextInt(Numbers.Length)];
        switch (target)
        {
            case JsonObject obj when obj.Count > 0 && random.NextInt(3) == 0:
                string field = obj.Select(p => p.Key).ElementAt(random.NextInt(obj.Count));
                obj.Remove(field);
                return ($"remove {field}", null);
            case JsonArray array when array.Count > 0 && random.NextInt(3) == 0:
                array.RemoveAt(random.NextInt(array.Count));
                return ("remove an element", null);
            case JsonArray array:
                array.Add(FuzzFile.Raw(value));
                return ($"append {value}", null);
            default:
                if (target.Parent is JsonObject parent)
                {
                    string name = parent.First(p => ReferenceEquals(p.Value, target)).Key;
                    parent[name] = FuzzFile.Raw(value);
                    return ($"{name} := {value}", null);
                }
                if (target.Parent is JsonArray list)
                {
                    list[list.IndexOf(target)] = FuzzFile.Raw(value);
                    return ($"element := {value}", null);
                }
                return ($"replace with {value}", FuzzFile.Raw(value) ?? JsonValue.Create(0));
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
        {
            return;
        }
        nodes.Add(node);
        foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a.AsEnumerable(), _ => [] })
        {
            Collect(child, nodes);
        }
    }

    /// <summary>F32 ↔ I32 or F64 ↔ I64: the byte count stays, so the layout is still valid (the issue's optimizer.step case).</summary>
    private void Retype(FuzzFile parts, List<string> log)
    {
        var entries = parts.TensorNames().Select(n => (Name: n, Entry: parts.Header[n] as JsonObject)).Where(e => e.Entry is not null).ToList();
        if (entries.Count == 0)
        {
            return;
        }
        var (name, entry) = entries[random.NextInt(entries.Count)];
        string? dtype = entry!["dtype"]?.ToJsonString();
        string? other = dtype switch { "\"F32\"" => "I32", "\"I32\"" => "F32", "\"F64\"" => "I64", "\"I64\"" => "F64", _ => null };
        if (other is not null)
        {
            entry["dtype"] = other;
            log.Add($"retype {name} to {other}");
        }
    }

    /// <summary>A tensor of shape [a, b, …] becomes [b, a, …] or flat: the same byte count, another shape.</summary>
    private void Reshape(FuzzFile parts, List<string> log)
    {
        var names = parts.TensorNames();
        if (names.Count == 0 || parts.Header[names[random.NextInt(names.Count)]] is not JsonObject entry || entry["shape"] is not JsonArray { Count: > 0 } shape)
        {
            return;
        }
        long[] dims = [.. shape.Select(d => d is JsonValue v && v.TryGetValue(out long n) ? n : 0)];
        long[] reshaped = random.NextInt(2) == 0 || dims.Length < 2 ? [dims.Aggregate(1L, (a, b) => a * b)] : [dims[1], dims[0], .. dims[2..]];
        entry["shape"] = FuzzFile.Raw($"[{string.Join(",", reshaped)}]");
        log.Add($"reshape [{string.Join(",", dims)}] to [{string.Join(",", reshaped)}]");
    }

    /// <summary>Recomputes the checksums of the edited header, when its tensors still describe the data.</summary>
    private static void Resign(FuzzFile parts, List<string> log)
    {
        try
        {
            var tensors = parts.TensorNames().Select(name =>
            {
                var entry = (JsonObject)parts.Header[name]!;
                var dtype = TensorDTypes.TryParse(entry["dtype"]!.GetValue<string>(), out var parsed) ? parsed : throw new FormatException("unknown dtype");
                var shape = new Shape([.. ((JsonArray)entry["shape"]!).Select(d => d!.GetValue<int>())]);
                var offsets = (JsonArray)entry["data_offsets"]!;
                return new TensorData(name, dtype, shape, parts.Data.AsSpan((int)offsets[0]!.GetValue<long>(), (int)(offsets[1]!.GetValue<long>() - offsets[0]!.GetValue<long>())));
            }).ToList();
            var metadata = ((JsonObject)parts.Header["__metadata__"]!).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
            parts.Header["__metadata__"]![CheckpointFormat.ChecksumsKey] = CheckpointChecksums.Compute(tensors, metadata);
            log.Add("re-signed");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NullReferenceException or InvalidCastException or OverflowException)
        {
            log.Add("not re-signable");
        }
    }
}
