using System.Text.Json;

namespace Convolve.Models;

/// <summary>
/// Strict, path-aware access to the fields of one layer object in an architecture description.
/// The object must carry exactly the expected field names, each once; every typed read states
/// the JSON path and what was expected when the value does not fit.
/// </summary>
internal sealed class ArchitectureFields
{
    private const int ShownValueLength = 60;
    private readonly Dictionary<string, JsonElement> fields = new(StringComparer.Ordinal);

    /// <summary>Takes the fields of <paramref name="element"/>, which must be a JSON object without repeated names.</summary>
    public ArchitectureFields(JsonElement element, string path)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "a layer object such as {\"type\": \"ReLU\"}", element);
        }
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw new ModelArchitectureException(FieldPath(property.Name), "the field appears more than once");
            }
        }
    }

    /// <summary>The JSON path of the object, e.g. <c>$.layers[3]</c>.</summary>
    public string Path { get; }

    /// <summary>The path of one field of the object.</summary>
    public string FieldPath(string name) => $"{Path}.{name}";

    /// <summary>Requires every name in <paramref name="expected"/> and no other.</summary>
    public void RequireExactly(string type, IReadOnlyCollection<string> expected)
    {
        foreach (string name in expected)
        {
            if (!fields.ContainsKey(name))
            {
                throw new ModelArchitectureException(FieldPath(name), $"missing; {type} needs the fields {Describe(expected)}");
            }
        }
        foreach (string name in fields.Keys)
        {
            if (!expected.Contains(name))
            {
                throw new ModelArchitectureException(FieldPath(name), $"unexpected field; {type} has only the fields {Describe(expected)}");
            }
        }
    }

    /// <summary>True if the object has a field <paramref name="name"/>.</summary>
    public bool Has(string name) => fields.ContainsKey(name);

    /// <summary>The raw value of a field that must be present.</summary>
    public JsonElement Element(string name) =>
        fields.TryGetValue(name, out JsonElement value) ? value : throw new ModelArchitectureException(FieldPath(name), "missing");

    /// <summary>A JSON string.</summary>
    public string String(string name)
    {
        JsonElement value = Element(name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(FieldPath(name), "a string", value);
    }

    /// <summary>An integer that fits in 32 bits.</summary>
    public int Int(string name) => Int(Element(name), FieldPath(name), "an integer");

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool Bool(string name)
    {
        JsonElement value = Element(name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(FieldPath(name), "true or false", value),
        };
    }

    /// <summary>A number (integer or decimal).</summary>
    public double Number(string name)
    {
        JsonElement value = Element(name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number)
            ? number
            : throw Error(FieldPath(name), "a finite number", value);
    }

    /// <summary>An array of exactly <paramref name="count"/> integers, one per spatial dimension.</summary>
    public int[] Ints(string name, int count) => Ints(Element(name), FieldPath(name), count);

    /// <summary>An array of exactly <paramref name="count"/> integers at <paramref name="path"/>.</summary>
    public static int[] Ints(JsonElement value, string path, int count)
    {
        string expected = $"an array of {count} integer{(count == 1 ? "" : "s")}";
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != count)
        {
            throw Error(path, expected, value);
        }
        var result = new int[count];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            result[i] = Int(item, $"{path}[{i}]", "an integer");
            i++;
        }
        return result;
    }

    /// <summary>The error for a value that is not what <paramref name="expected"/> describes, quoting the value.</summary>
    public static ModelArchitectureException Error(string path, string expected, JsonElement actual)
    {
        string text = actual.GetRawText();
        if (text.Length > ShownValueLength)
        {
            text = string.Concat(text.AsSpan(0, ShownValueLength), "…");
        }
        return new ModelArchitectureException(path, $"expected {expected} but got {text}");
    }

    private static int Int(JsonElement value, string path, string expected) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : throw Error(path, expected, value);

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}
