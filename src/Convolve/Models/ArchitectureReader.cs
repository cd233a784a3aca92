using System.Text.Json;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>
/// Rebuilds a layer tree from the JSON of <see cref="ModelArchitecture"/>, validating strictly:
/// well-formed JSON, a known <c>type</c> on every layer, exactly that type's fields with the
/// right JSON types, nesting within <see cref="ModelArchitecture.MaxDepth"/>, and options the
/// layer's constructor accepts. Every failure is a <see cref="ModelArchitectureException"/>
/// naming the JSON path.
/// </summary>
internal sealed class ArchitectureReader
{
    private int depth;

    private ArchitectureReader(RandomSource? random) => Random = random;

    /// <summary>Every layer type the format describes, as written in <c>"type"</c>.</summary>
    public static IReadOnlyCollection<string> TypeNames => LayerFormats.Names;

    /// <summary>What the rebuilt layers draw their initial values (and dropout masks) from; null means <see cref="RandomSource.Global"/>.</summary>
    public RandomSource? Random { get; }

    /// <summary>Parses and rebuilds the model described by <paramref name="json"/>.</summary>
    public static Layer Read(string json, RandomSource? random)
    {
        using JsonDocument document = Parse(json);
        return new ArchitectureReader(random).ReadChild(document.RootElement, "$");
    }

    /// <summary>Parses the architecture text; malformed JSON is a <see cref="ModelArchitectureException"/> at <c>$</c>.</summary>
    public static JsonDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // Each layer level costs at most two JSON levels (the object and its "layers" array).
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 * ModelArchitecture.MaxDepth + 2 });
        }
        catch (JsonException ex)
        {
            throw new ModelArchitectureException("$", $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The fields of a layer object with a known type and exactly that type's field names, and its
    /// format; everything else is a <see cref="ModelArchitectureException"/> naming the path.
    /// </summary>
    public static (string Type, ArchitectureFields Fields, LayerFormat Format) Open(JsonElement element, string path)
    {
        var fields = new ArchitectureFields(element, path);
        if (!fields.Has("type"))
        {
            throw new ModelArchitectureException(fields.FieldPath("type"), "missing; every layer object names its type, e.g. \"type\": \"Conv2d\"");
        }
        string type = fields.String("type");
        if (!LayerFormats.TryGet(type, out LayerFormat? format))
        {
            throw new ModelArchitectureException(fields.FieldPath("type"), $"unknown layer type \"{type}\"; known types: {string.Join(", ", TypeNames)}");
        }
        fields.RequireExactly(type, format.Fields);
        return (type, fields, format);
    }

    /// <summary>Reads the layer object at <paramref name="path"/>, one nesting level below the caller.</summary>
    public Layer ReadChild(JsonElement element, string path)
    {
        depth++;
        try
        {
            if (depth > ModelArchitecture.MaxDepth)
            {
                throw new ModelArchitectureException(path, $"layers nest deeper than {ModelArchitecture.MaxDepth} levels");
            }
            return ReadLayer(element, path);
        }
        finally
        {
            depth--;
        }
    }

    private Layer ReadLayer(JsonElement element, string path)
    {
        var (type, fields, format) = Open(element, path);
        try
        {
            return format.Build(fields, this);
        }
        catch (ArgumentException ex)
        {
            throw new ModelArchitectureException(fields.Path, $"{type} does not accept these options: {ex.Message}", ex);
        }
    }
}
