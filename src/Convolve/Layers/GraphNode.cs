namespace Convolve.Layers;

/// <summary>
/// One node of a <see cref="Graph"/>: a layer, the values it reads (the graph's input or earlier
/// nodes, by name) and its name, which is also the name of the value it computes and the prefix of
/// its parameters (<c>conv1.weight</c>).
/// </summary>
/// <param name="Name">The node's and its output value's name: non-empty, unique in the graph, without '.'.</param>
/// <param name="Layer">The layer; a <see cref="MergeLayer"/> may read several values, any other layer reads one.</param>
/// <param name="Inputs">The values read, in order.</param>
public sealed record GraphNode(string Name, Layer Layer, IReadOnlyList<string> Inputs);
