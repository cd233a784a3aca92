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

    /// <summary>The mean subtracted from every input value (the first channel's when there is one per channel).</summary>
    public double Mean => Normalization.Mean;

    /// <summary>The standard deviation every centred input value is divided by (the first channel's when there is one per channel).</summary>
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
    public (Dataset Data, DataSource Files) LoadData(string? directory, bool trainingSet, int batchSize, Action<DataShape>? check = null)
    {
        DataSource files = Locate(directory);
        DataShape shape = trainingSet ? files.TrainShape() : files.TestShape();
        check?.Invoke(shape);
        MemoryEstimate.Require("--batch-size",
            ("data", MemoryEstimate.Images(shape.Count, shape.Item)),
            ("activations", MemoryEstimate.Activations(Model, shape.Item, Math.Min(batchSize, shape.Count))));
        Dataset data = trainingSet ? files.LoadTrain() : files.LoadTest();
        data.Normalize(Normalization);
        return (data, files);
    }

    /// <summary>The data of --data (or as convolve train finds them); a folder of pictures is read as the model's recorded input shape and split say.</summary>
    public DataSource Locate(string? directory) => DataSource.Locate(directory, PictureOptions.FromMetadata(Metadata, InputShape), strict: false);

    /// <summary>One normalised input [C, H, W] back in [0, 1] for display, each channel with its own statistics.</summary>
    public Tensor Unnormalize(Tensor item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (mean, std) = Normalization.For(item.Shape[0]);
        int plane = item.Shape.SizeFrom(1);
        var result = new Tensor(item.Shape);
        for (int c = 0; c < mean.Length; c++)
        {
            var channel = new Tensor(new Shape(plane), item.Data.AsSpan(c * plane, plane).ToArray());
            Visualization.DisplayScaling.Unnormalize(channel, mean[c], std[c]).Span.CopyTo(result.Span.Slice(c * plane, plane));
        }
        return result;
    }

    /// <summary>The test set (or the training set), normalised as the model was trained, one image at a time through the model.</summary>
    public Dataset LoadData(string? directory, bool trainingSet) => LoadData(directory, trainingSet, batchSize: 1).Data;

    /// <summary>
    /// The shape of one input, [C, H, W]: as recorded at training time, or (for checkpoints written
    /// before it was recorded) the shape of the test images found as <c>convolve train</c> finds them.
    /// </summary>
    public Shape ItemShape(string? directory) => InputShape ?? Locate(directory).TestShape().Item;

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
