using Convolve.Layers;

namespace Convolve.Visualization;

/// <summary>
/// The layers of a network that can be looked at: every leaf layer and every residual block, in
/// forward order, named by module path as PyTorch's <c>named_modules</c> (a residual block's
/// children are <c>body</c> and <c>shortcut</c>, a graph's are its nodes by name).
/// </summary>
public static class NetworkLayers
{
    /// <summary>Every leaf layer and residual block of <paramref name="model"/>, in forward order (a block after its branches).</summary>
    public static IReadOnlyList<NamedLayer> Of(Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var found = new List<(string Path, Layer Layer)>();
        Visit(model, "", found);
        var named = new List<NamedLayer>(found.Count);
        int convolutions = 0;
        foreach (var (path, layer) in found)
        {
            named.Add(new NamedLayer(path, layer, layer is ConvNd ? $"conv{++convolutions}" : null));
        }
        return named;
    }

    /// <summary>The layer called <paramref name="name"/>: a module path (<c>3</c>) or a convolution alias (<c>conv2</c>).</summary>
    /// <exception cref="ArgumentException">No such layer; the message lists every valid name.</exception>
    public static NamedLayer Find(Layer model, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IReadOnlyList<NamedLayer> layers = Of(model);
        NamedLayer? match = layers.FirstOrDefault(l => l.Path == name || string.Equals(l.Alias, name, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new ArgumentException(
            $"the model has no layer \"{name}\"; its layers are {string.Join(", ", layers.Select(l => l.Display))}", nameof(name));
    }

    private static void Visit(Layer layer, string path, List<(string, Layer)> found)
    {
        switch (layer)
        {
            case Sequential sequential:
                for (int i = 0; i < sequential.Count; i++)
                {
                    Visit(sequential[i], Child(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), found);
                }
                break;
            case Residual residual:
                Visit(residual.Body, Child(path, "body"), found);
                if (residual.Shortcut is not null)
                {
                    Visit(residual.Shortcut, Child(path, "shortcut"), found);
                }
                found.Add((path, residual));
                break;
            case Graph graph:
                foreach (GraphNode node in graph.Nodes)
                {
                    Visit(node.Layer, Child(path, node.Name), found);
                }
                break;
            default:
                found.Add((path, layer));
                break;
        }
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
