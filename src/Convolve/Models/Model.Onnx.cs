using Convolve.Layers;
using Convolve.Onnx;

namespace Convolve.Models;

/// <content>Models from ONNX files.</content>
public static partial class Model
{
    /// <summary>
    /// Builds the network an ONNX file describes, with its weights (see <see cref="OnnxImporter"/>
    /// for the operators read); <see cref="OnnxImporter.Load"/> also gives the input shape and metadata.
    /// </summary>
    /// <exception cref="OnnxFormatException">The file is not well-formed ONNX protobuf; the message names the byte offset.</exception>
    /// <exception cref="OnnxUnsupportedException">It uses an operator, attribute or graph shape Convolve does not import; the message names the node.</exception>
    public static Layer FromOnnx(string path) => OnnxImporter.Load(path).Model;
}
