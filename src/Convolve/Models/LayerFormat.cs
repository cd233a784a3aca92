using Convolve.Layers;

namespace Convolve.Models;

/// <summary>How one layer type is described: its JSON field names (<c>type</c> included) and how to build it from them.</summary>
/// <param name="Fields">Exactly the fields an object of this type carries.</param>
/// <param name="Build">Builds the layer from validated fields; constructor errors surface as <see cref="ArgumentException"/>.</param>
internal sealed record LayerFormat(string[] Fields, Func<ArchitectureFields, ArchitectureReader, Layer> Build);
