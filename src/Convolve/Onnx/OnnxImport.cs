using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>What <see cref="OnnxImporter"/> read from an ONNX file.</summary>
/// <param name="Model">The network as Convolve layers, with the file's weights, in training mode like a freshly built model (call <see cref="Layer.Eval"/> for inference).</param>
/// <param name="ItemShape">One input without the batch dimension, from the graph input, e.g. [3, 32, 32].</param>
/// <param name="Metadata">The file's <c>metadata_props</c> (Convolve's exports record the input normalisation and class names there).</param>
/// <param name="Opset">The version of the default operator set the file imports.</param>
/// <param name="Producer">The producer's name and version, e.g. <c>pytorch 1.13.1</c>.</param>
public sealed record OnnxImport(Sequential Model, Shape ItemShape, IReadOnlyDictionary<string, string> Metadata, long Opset, string Producer);
