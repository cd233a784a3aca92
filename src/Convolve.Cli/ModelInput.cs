using System.Text.Json;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Cli;

/// <summary>A saved model with what `convolve train` recorded beside it: normalisation, class names and input shape.</summary>
internal sealed record ModelInput(Layer Model, string Path, ChannelStats Normalization, string[] ClassNames, Shape? InputShape, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Loads a model file (best.safetensors or last.safetensors) strictly, in evaluation mode.</summary>
    public static ModelInput Load(string path)
    {
        Checkpoint checkpoint = CheckpointReader.Load(path);
        Layer model = Convolve.Models.Model.FromCheckpoint(checkpoint, path);
        model.Eval();
        ChannelStats normalization = ChannelStats.Read(checkpoint.Metadata, path);
        string[] names = checkpoint.Metadata.TryGetValue(TrainingData.ClassNamesKey, out string? json)
            ? JsonSerializer.Deserialize<string[]>(json) ?? []
            : [];
        return new ModelInput(model, path, normalization, names, InputShapeOf(checkpoint.Metadata, path), checkpoint.Metadata);
    }

    /// <summary>The test set (or the training set) normalised as the model was trained.</summary>
    public Dataset LoadData(string? directory, bool trainingSet, TextWriter log)
    {
        LoadedData sets = DataSources.LoadFor(directory, PictureOptions.FromMetadata(Metadata, InputShape), trainingSet, log);
        Dataset data = trainingSet ? sets.Train! : sets.Test;
        Normalization.Apply(data);
        return data;
    }

    /// <summary>
    /// The shape of one input, [C, H, W]: as recorded at training time, or (for checkpoints written
    /// before it was recorded) the shape of the test images found as <c>convolve train</c> finds them.
    /// </summary>
    public Shape ItemShape(string? directory, TextWriter log) =>
        InputShape ?? TrainingData.Locate(directory, log).LoadTest().ItemShape;

    /// <summary>A class's display name.</summary>
    public string ClassName(int index) => index < ClassNames.Length ? ClassNames[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
