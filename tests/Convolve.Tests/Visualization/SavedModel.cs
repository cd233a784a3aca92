using Convolve.Cli;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Tests.Visualization;

/// <summary>A seeded, untrained fashion-cnn saved as convolve train saves a model (normalisation, class names, input shape), in a temporary folder.</summary>
public sealed class SavedModel : IDisposable
{
    public SavedModel()
    {
        Folder = Directory.CreateTempSubdirectory("convolve-visualize-").FullName;
        Path = System.IO.Path.Combine(Folder, "model.safetensors");
        string[] names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
        var metadata = ModelMetadata.Describe(new Convolve.Data.InputNormalization(Mean, Std), names);
        metadata[TrainingData.InputShapeKey] = "[1,28,28]";
        Model.Save(Path, ModelZoo.Create("fashion-cnn", random: new RandomSource(42)), metadata);
    }

    public const double Mean = 0.286, Std = 0.353;

    public string Folder { get; }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
