using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;

namespace Convolve.Cli;

/// <summary>A saved model with what `convolve train` recorded beside it: normalisation and class names.</summary>
internal sealed record ModelInput(Layer Model, string Path, double Mean, double Std, string[] ClassNames)
{
    /// <summary>Loads a model file (best.safetensors or last.safetensors) strictly, in evaluation mode.</summary>
    public static ModelInput Load(string path)
    {
        Checkpoint checkpoint = CheckpointReader.Load(path);
        Layer model = Convolve.Models.Model.FromCheckpoint(checkpoint, path);
        model.Eval();
        var (mean, std) = TrainingData.NormalizationOf(checkpoint.Metadata, path);
        string[] names = checkpoint.Metadata.TryGetValue(TrainingData.ClassNamesKey, out string? json)
            ? JsonSerializer.Deserialize<string[]>(json) ?? []
            : [];
        return new ModelInput(model, path, mean, std, names);
    }

    /// <summary>The test set (or the training set) normalised as the model was trained.</summary>
    public Dataset LoadData(string? directory, bool trainingSet, TextWriter log)
    {
        DatasetFiles files = TrainingData.Locate(directory, log);
        Dataset data = trainingSet ? files.LoadTrain() : files.LoadTest();
        data.Normalize(Mean, Std);
        return data;
    }

    /// <summary>A class's display name.</summary>
    public string ClassName(int index) => index < ClassNames.Length ? ClassNames[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
