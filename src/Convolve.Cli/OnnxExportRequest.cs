using System.Globalization;
using System.Text.Json;
using Convolve.Layers;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Cli;

/// <summary>
/// What <c>convolve export --format onnx</c> hands the exporter: the model, the shape of one input
/// (from --input-shape, else as recorded by <c>convolve train</c>), and the metadata that travels
/// with it (input normalisation, class names, input shape).
/// </summary>
internal sealed record OnnxExportRequest(Layer Model, Shape ItemShape, Dictionary<string, string> Metadata)
{
    /// <summary>The checkpoint's metadata entries copied into the ONNX file.</summary>
    public static readonly string[] CarriedKeys = [Models.ModelMetadata.NormalizationMeanKey, Models.ModelMetadata.NormalizationStdKey, Models.ModelMetadata.ClassNamesKey, TrainingData.InputShapeKey];

    /// <summary>Reads the request out of a loaded checkpoint.</summary>
    public static OnnxExportRequest From(Checkpoint checkpoint, string path, string? inputShape)
    {
        Layer model = Convolve.Models.Model.FromCheckpoint(checkpoint, path);
        model.Eval();
        Shape item = inputShape is not null
            ? ParseShape(inputShape)
            : ModelInputShape(checkpoint.Metadata, path);
        var metadata = CarriedKeys.Where(checkpoint.Metadata.ContainsKey).ToDictionary(k => k, k => checkpoint.Metadata[k]);
        metadata[TrainingData.InputShapeKey] = JsonSerializer.Serialize(item.ToArray());
        return new OnnxExportRequest(model, item, metadata);
    }

    /// <summary>Parses <c>CxHxW</c> (any number of positive sizes separated by x).</summary>
    public static Shape ParseShape(string text)
    {
        string[] parts = text.Split('x', 'X', ',');
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] <= 0)
            {
                throw new UserErrorException($"--input-shape must be positive sizes such as 1x28x28 but got '{text}'");
            }
        }
        return new Shape(sizes);
    }

    private static Shape ModelInputShape(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(TrainingData.InputShapeKey, out string? json))
        {
            throw new UserErrorException($"{path} does not record its input shape; give it with --input-shape, e.g. --input-shape 1x28x28");
        }
        int[]? sizes = null;
        try
        {
            sizes = JsonSerializer.Deserialize<int[]>(json);
        }
        catch (JsonException)
        {
            // reported below
        }
        return sizes is { Length: > 0 } && sizes.All(s => s > 0)
            ? new Shape(sizes)
            : throw new UserErrorException($"{path}: the recorded input shape '{json}' is not a list of positive sizes; give it with --input-shape");
    }
}
