using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;

namespace Convolve.Cli;

/// <summary>
/// A model file as eval and predict use it: loaded and checked by <see cref="SavedModel"/> (what
/// <c>convolve inspect</c> reports too), with the input normalisation it records, in evaluation mode.
/// </summary>
internal sealed record ModelInput(SavedModel Saved, InputNormalization Normalization)
{
    /// <summary>The model.</summary>
    public Layer Model => Saved.Model;

    /// <summary>Loads and checks a model file (best.safetensors or last.safetensors, or one written by Model.Save).</summary>
    public static ModelInput Load(string path)
    {
        var saved = SavedModel.Load(InputFiles.RequireFile(path, "model"));
        var normalization = saved.Normalization ?? throw new UserErrorException(
            $"{saved.Source} does not record the input normalisation its model expects ({ModelMetadata.NormalizationMeanKey}, {ModelMetadata.NormalizationStdKey}); "
            + "save models with Model.Save, which records it, or add the two metadata values");
        saved.Model.Eval();
        return new ModelInput(saved, normalization);
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

    /// <summary>A class's display name.</summary>
    public string ClassName(int index) =>
        index < Saved.ClassNames.Count ? Saved.ClassNames[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
