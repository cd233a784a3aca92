using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Cli;

/// <summary>
/// A model file as eval, predict and visualize use it: loaded and checked by <see cref="SavedModel"/>
/// (what <c>convolve inspect</c> reports too), with the input normalisation and the input shape it
/// records, in evaluation mode.
/// </summary>
internal sealed record ModelInput(SavedModel Saved, InputNormalization Normalization, Shape? InputShape)
{
    /// <summary>The model.</summary>
    public Layer Model => Saved.Model;

    /// <summary>The file it came from.</summary>
    public string Path => Saved.Source;

    /// <summary>The mean subtracted from every input value.</summary>
    public double Mean => Normalization.Mean;

    /// <summary>The standard deviation every centred input value is divided by.</summary>
    public double Std => Normalization.Std;

    /// <summary>The file's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Saved.Metadata;

    /// <summary>Loads and checks a model file (best.safetensors or last.safetensors, or one written by Model.Save).</summary>
    public static ModelInput Load(string path)
    {
        var saved = SavedModel.Load(InputFiles.RequireFile(path, "model"));
        var normalization = saved.Normalization ?? throw new UserErrorException(
            $"{saved.Source} does not record the input normalisation its model expects ({ModelMetadata.NormalizationMeanKey}, {ModelMetadata.NormalizationStdKey}); "
            + "save models with Model.Save, which records it, or add the two metadata values");
        Shape? inputShape = InputShapeOf(saved.Metadata, saved.Source);
        saved.Model.Eval();
        return new ModelInput(saved, normalization, inputShape);
    }

    /// <summary>
    /// The test set (or the training set), normalised as the model was trained. The headers are
    /// checked first, with <paramref name="check"/> (e.g. an index against the count), and the memory.
    /// </summary>
    public (Dataset Data, DatasetFiles Files) LoadData(string? directory, bool trainingSet, int batchSize, Action<DataShape>? check = null)
    {
        DatasetFiles files = TrainingData.Locate(directory);
        var (images, labels) = trainingSet ? (files.TrainImages, files.TrainLabels) : (files.TestImages, files.TestLabels);
        DataShape shape = TrainingData.Inspect(images, labels);
        check?.Invoke(shape);
        MemoryEstimate.Require("--batch-size",
            ("data", MemoryEstimate.Images(shape.Count, shape.Item)),
            ("activations", MemoryEstimate.Activations(Model, shape.Item, Math.Min(batchSize, shape.Count))));
        Dataset data = Dataset.FromIdx(images, labels);
        data.Normalize(Normalization);
        return (data, files);
    }

    /// <summary>The test set (or the training set), normalised as the model was trained, one image at a time through the model.</summary>
    public Dataset LoadData(string? directory, bool trainingSet) => LoadData(directory, trainingSet, batchSize: 1).Data;

    /// <summary>
    /// The shape of one input, [C, H, W]: as recorded at training time, or (for checkpoints written
    /// before it was recorded) the shape of the test images found as <c>convolve train</c> finds them.
    /// </summary>
    public Shape ItemShape(string? directory) =>
        InputShape ?? TrainingData.Inspect(TrainingData.Locate(directory).TestImages, TrainingData.Locate(directory).TestLabels).Item;

    /// <summary>A class's display name.</summary>
    public string ClassName(int index) =>
        index < Saved.ClassNames.Count ? Saved.ClassNames[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Shape? InputShapeOf(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(TrainingData.InputShapeKey, out string? json))
        {
            return null;
        }
        try
        {
            int[]? dimensions = JsonSerializer.Deserialize<int[]>(json);
            return dimensions is { Length: > 0 } && dimensions.All(d => d > 0)
                ? new Shape(dimensions)
                : throw new UserErrorException($"{path}: the recorded input shape '{json}' is not a list of positive sizes");
        }
        catch (JsonException)
        {
            throw new UserErrorException($"{path}: the recorded input shape '{json}' is not a JSON list of sizes");
        }
    }
}
