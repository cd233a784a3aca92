using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>
/// A network's architecture as JSON, so that a checkpoint can rebuild its model with no code.
/// Each layer is an object with its PyTorch class name and every constructor option under
/// PyTorch's argument name, spatial options as one integer per spatial dimension, e.g.
/// <c>{"type": "Conv2d", "in_channels": 1, "out_channels": 32, "kernel_size": [5, 5], "stride": [1, 1],
/// "padding": [2, 2], "dilation": [1, 1], "groups": 1, "bias": true}</c> (a convolution's padding may
/// also be <c>"valid"</c>, <c>"same"</c> or <c>"full"</c>); containers nest:
/// <c>{"type": "Sequential", "layers": [...]}</c> and
/// <c>{"type": "Residual", "body": {...}, "shortcut": {...} or null}</c>. Every <see cref="Layer"/>
/// type of the library is covered (max unpooling is not a layer: it needs the switches of a
/// particular pooling call). The description holds no weights: a rebuilt model has the same parameter names and shapes and
/// fresh initial values.
/// </summary>
public static class ModelArchitecture
{
    /// <summary>The deepest nesting of layers accepted (the model itself is level 1).</summary>
    public const int MaxDepth = 32;

    /// <summary>Every layer type the description knows, as written in its <c>"type"</c> field.</summary>
    public static IReadOnlyCollection<string> LayerTypes => ArchitectureReader.TypeNames;

    /// <summary>Describes <paramref name="model"/> as JSON, compact unless <paramref name="indented"/>.</summary>
    /// <exception cref="ArgumentException">The model contains a layer type the format does not know (e.g. one defined outside the library), or nests deeper than <see cref="MaxDepth"/>; the message names the layer's path.</exception>
    public static string ToJson(Layer model, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ArchitectureWriter.Write(model, indented);
    }

    /// <summary>Rebuilds the model <paramref name="json"/> describes, with PyTorch's default initialisation.</summary>
    /// <param name="json">A description written by <see cref="ToJson"/> or by hand.</param>
    /// <param name="random">Source of the initial values, and of the masks of any dropout layer; <see cref="RandomSource.Global"/> when null.</param>
    /// <exception cref="ModelArchitectureException">The text is not valid JSON, names an unknown type, lacks a field, has an extra or wrongly typed one, nests deeper than <see cref="MaxDepth"/>, or gives options a layer refuses; the message names the JSON path (e.g. <c>$.layers[3].kernel_size</c>) and what was expected.</exception>
    public static Layer FromJson(string json, RandomSource? random = null) => ArchitectureReader.Read(json, random);
}
