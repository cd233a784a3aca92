using System.Text.Json;

namespace Convolve.Models;

/// <summary>
/// The parameters and buffers an architecture description would create, with their shapes,
/// computed from the JSON alone, without building a layer or allocating a weight. A model file is
/// checked against this before its model is built, so that an edited size (an <c>out_features</c>
/// of ten million in a 250 KB file) is refused instead of allocated. Shapes are in 64-bit
/// integers so that no product overflows. A layer whose options its constructor would refuse
/// (a non-positive size, groups that do not divide the channels) contributes nothing and makes the
/// result incomplete; building the model then reports the constructor's reason.
/// </summary>
internal sealed class ArchitectureState
{
    private readonly List<(string Name, long[] Shape)> entries = [];
    private int depth;

    private ArchitectureState()
    {
    }

    /// <summary>Every state entry the layers with valid options create, under its state-dict name.</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Entries => entries;

    /// <summary>False when some layer's options are invalid, so <see cref="Entries"/> may lack its entries.</summary>
    public bool Complete { get; private set; } = true;

    /// <summary>Computes the state of the model <paramref name="json"/> describes.</summary>
    /// <exception cref="ModelArchitectureException">The text is not a valid description (the same problems the reader reports).</exception>
    public static ArchitectureState Of(string json)
    {
        using JsonDocument document = ArchitectureReader.Parse(json);
        var state = new ArchitectureState();
        state.Visit(document.RootElement, "$", "");
        return state;
    }

    private void Visit(JsonElement element, string path, string prefix)
    {
        if (++depth > ModelArchitecture.MaxDepth)
        {
            throw new ModelArchitectureException(path, $"layers nest deeper than {ModelArchitecture.MaxDepth} levels");
        }
        var (type, fields, _) = ArchitectureReader.Open(element, path);
        switch (type)
        {
            case "Sequential":
                VisitSequential(fields, prefix);
                break;
            case "Residual":
                Visit(fields.Element("body"), fields.FieldPath("body"), prefix + "body.");
                JsonElement shortcut = fields.Element("shortcut");
                if (shortcut.ValueKind != JsonValueKind.Null)
                {
                    Visit(shortcut, fields.FieldPath("shortcut"), prefix + "shortcut.");
                }
                break;
            case "Graph":
                foreach (var (node, _) in LayerFormats.GraphNodes(fields))
                {
                    Visit(node.Element("layer"), node.FieldPath("layer"), $"{prefix}{node.String("name")}.");
                }
                break;
            default:
                var layer = LayerStates.Of(type, fields);
                Complete &= layer is not null;
                entries.AddRange((layer ?? []).Select(e => (prefix + e.Name, e.Shape)));
                break;
        }
        depth--;
    }

    private void VisitSequential(ArchitectureFields fields, string prefix)
    {
        JsonElement layers = fields.Element("layers");
        string path = fields.FieldPath("layers");
        if (layers.ValueKind != JsonValueKind.Array)
        {
            throw ArchitectureFields.Error(path, "an array of layer objects", layers);
        }
        int i = 0;
        foreach (JsonElement item in layers.EnumerateArray())
        {
            Visit(item, $"{path}[{i}]", $"{prefix}{i}.");
            i++;
        }
    }
}
