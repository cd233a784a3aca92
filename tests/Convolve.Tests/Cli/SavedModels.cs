using Convolve.Data;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Tests.Cli;

/// <summary>Model files for command tests, written with the library's Model.Save.</summary>
internal static class SavedModels
{
    /// <summary>An untrained lenet5 with a normalisation, saved as <c>folder/lenet5.safetensors</c>.</summary>
    public static string Lenet(string folder)
    {
        string path = Path.Combine(folder, "lenet5.safetensors");
        Model.Save(path, ModelZoo.Create("lenet5", random: new RandomSource(7)), normalization: new InputNormalization(0.28, 0.35));
        return path;
    }
}
