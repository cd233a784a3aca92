namespace Convolve.Onnx;

/// <summary>
/// A model that ONNX cannot express: the message names the layer by its path in the model (as
/// <c>convolve summary</c> prints it), its type, and why. Nothing is written when it is thrown.
/// It is an <see cref="ArgumentException"/>: the model given to the exporter is the problem.
/// </summary>
public sealed class OnnxExportException : ArgumentException
{
    /// <summary>Creates the exception for the layer at <paramref name="layerPath"/>.</summary>
    public OnnxExportException(string layerPath, string layerType, string reason)
        : base(OnnxText.OneLine($"cannot export layer \"{layerPath}\" ({layerType}) to ONNX: {reason}"))
    {
        LayerPath = layerPath;
        LayerType = layerType;
    }

    /// <summary>The layer's path in the model, e.g. <c>5.body.0</c>.</summary>
    public string LayerPath { get; }

    /// <summary>The layer's type, e.g. <c>LPPool2d</c>.</summary>
    public string LayerType { get; }
}
