using Convolve.Layers;

namespace Convolve.Visualization;

/// <summary>
/// A layer of a network with its PyTorch module path (<c>3</c>, <c>4.body.0</c>, the names
/// <c>convolve summary</c> prints) and, for convolutions, a short alias counting them in forward
/// order (<c>conv1</c>, <c>conv2</c>, …).
/// </summary>
/// <param name="Path">The module path; empty for the whole model.</param>
/// <param name="Layer">The layer.</param>
/// <param name="Alias">The <c>convK</c> alias of a convolution, or null.</param>
public sealed record NamedLayer(string Path, Layer Layer, string? Alias)
{
    /// <summary>How the layer is shown in lists: <c>3 (conv2, Conv2d)</c>.</summary>
    public string Display => Alias is null ? $"{Path} ({Layer.Name})" : $"{Path} ({Alias}, {Layer.Name})";
}
