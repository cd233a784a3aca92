using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>
/// What fine-tuning a trained network on new classes needs: its classifier head replaced by a
/// fresh one with the new class count, and the parameters up to a named layer left out of training.
/// The head is the last layer with parameters on the way back from the output past layers without
/// any (flatten, pooling, activations, dropout): a <see cref="Linear"/> (most classifiers) or a 1×1
/// <see cref="Conv2d"/> (SqueezeNet's); it is found through Sequential chains and through a
/// <see cref="Graph"/>'s output node.
/// </summary>
public static class FineTuning
{
    /// <summary><paramref name="model"/> with its classifier head replaced by a new one of <paramref name="classes"/> outputs, initialised from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentException">No Linear or 1×1 convolution ends the model; the message names what does.</exception>
    public static Layer ReplaceHead(Layer model, int classes, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        return Replace(model, classes, random) ?? throw new ArgumentException(
            $"FineTuning: the model ends in no Linear or 1×1 Conv2d head before its output (its last layer with parameters is {Describe(LastWithParameters(model))})", nameof(model));
    }

    /// <summary>
    /// The parameters to train: all of them, or with <paramref name="freezeUntil"/> (a layer's path, as
    /// <c>summary</c> and the parameter names show it) only those after that layer's last parameter.
    /// </summary>
    /// <exception cref="ArgumentException">No parameter belongs to a layer of that path; the message lists the paths.</exception>
    public static IReadOnlyList<Parameter> Trainable(Layer model, string? freezeUntil)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.NamedParameters().ToList();
        if (freezeUntil is null)
        {
            return [.. named.Select(p => p.Parameter)];
        }
        int last = named.FindLastIndex(p => p.Name.StartsWith(freezeUntil + ".", StringComparison.Ordinal));
        if (last < 0)
        {
            string[] layers = [.. named.Select(p => p.Name[..p.Name.LastIndexOf('.')]).Distinct()];
            throw new ArgumentException($"FineTuning: no layer \"{freezeUntil}\" has parameters; the layers with parameters are {string.Join(", ", layers.Take(12))}{(layers.Length > 12 ? $", … ({layers.Length})" : "")}", nameof(freezeUntil));
        }
        return [.. named.Skip(last + 1).Select(p => p.Parameter)];
    }

    private static Layer? Replace(Layer layer, int classes, RandomSource? random) => layer switch
    {
        Linear linear => new Linear(linear.InFeatures, classes, linear.Bias is not null, random),
        Conv2d conv when conv.Geometry.Kernel.All(k => k == 1) && conv.Groups == 1 => new Conv2d(conv.InChannels, classes, 1, bias: conv.Bias is not null, random: random),
        Sequential sequential => ReplaceInChain(sequential, classes, random),
        Graph graph => ReplaceInGraph(graph, classes, random),
        _ => null,
    };

    private static Sequential? ReplaceInChain(Sequential sequential, int classes, RandomSource? random)
    {
        for (int i = sequential.Count - 1; i >= 0; i--)
        {
            if (!sequential[i].NamedParameters().Any())
            {
                continue;
            }
            Layer? head = Replace(sequential[i], classes, random);
            return head is null ? null : new Sequential([.. sequential.Select((l, k) => k == i ? head : l)]);
        }
        return null;
    }

    private static Graph? ReplaceInGraph(Graph graph, int classes, RandomSource? random)
    {
        string value = graph.Output;
        while (graph.Nodes.FirstOrDefault(n => n.Name == value) is { } node)
        {
            if (node.Layer.NamedParameters().Any())
            {
                Layer? head = Replace(node.Layer, classes, random);
                return head is null ? null : new Graph([.. graph.Nodes.Select(n => n == node ? n with { Layer = head } : n)], graph.Output, graph.Input);
            }
            if (node.Inputs.Count != 1)
            {
                return null; // a join before any head: no single classifier to replace
            }
            value = node.Inputs[0];
        }
        return null;
    }

    private static Layer? LastWithParameters(Layer model) => model switch
    {
        Sequential s => s.Reverse().Select(LastWithParameters).FirstOrDefault(l => l is not null),
        Graph g => g.Nodes.Reverse().Select(n => LastWithParameters(n.Layer)).FirstOrDefault(l => l is not null),
        _ => model.NamedParameters().Any() ? model : null,
    };

    private static string Describe(Layer? layer) => layer is null ? "none" : layer.Name;
}
