using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>The validated arguments of <see cref="ModelZoo.Create"/>, shared by the builders.</summary>
internal sealed record ZooOptions(string Name, int InChannels, int Classes, int ImageSize, RandomSource? DropoutRandom)
{
    /// <summary>The source of initial values; the global one is read once, when the model is built.</summary>
    public RandomSource Random { get; } = DropoutRandom ?? RandomSource.Global;

    /// <summary>
    /// The image size from which resnet18, mobilenet-v2 and squeezenet take torchvision's ImageNet
    /// stem (downsampling by 4 before the first stage); smaller images (MNIST's 28, CIFAR's 32) get the
    /// CIFAR variants' stride-1 3×3 stem, which keeps their few pixels.
    /// </summary>
    public const int LargeImage = 64;

    /// <summary>Whether the image is at least <see cref="LargeImage"/> pixels, so the ImageNet stem applies.</summary>
    public bool IsLarge => ImageSize >= LargeImage;

    /// <summary>
    /// The number of features the convolutional part <paramref name="features"/> (ending in Flatten)
    /// produces for one image, or a clear error when the image is too small for it.
    /// </summary>
    public int FlatFeatures(Layer features, string requirement)
    {
        // Two images, so that batch normalisation in training mode sees more than one value per channel.
        var input = new Shape(2, InChannels, ImageSize, ImageSize);
        try
        {
            return features.OutputShape(input)[1];
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(
                $"{Name} cannot take {ImageSize}×{ImageSize} images ({requirement}): {ex.Message}", "imageSize", ex);
        }
    }
}
