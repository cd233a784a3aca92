using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>
/// Ready-made networks for square single- or multi-channel images (Fashion-MNIST, MNIST, CIFAR,
/// ImageNet), each a flat <see cref="Sequential"/> whose parameter names are those of the same
/// <c>nn.Sequential</c> in PyTorch (tools/reference/make_zoo_reference.py builds the twins). Every
/// layer takes PyTorch's default initialisation from the given <see cref="RandomSource"/> in layer
/// order, and resnet18, mobilenet-v2 and squeezenet then torchvision's own, so a seed fixes the
/// whole network.
/// </summary>
public static class ModelZoo
{
    private static readonly string[] SmallModels = ["lenet5", "fashion-cnn", "vgg-small", "resnet-small"];

    private static readonly string[] KnownNames = [.. SmallModels, "resnet18", "mobilenet-v2", "squeezenet"];

    /// <summary>
    /// The names <see cref="Create"/> accepts: <c>lenet5</c>, <c>fashion-cnn</c>, <c>vgg-small</c>,
    /// <c>resnet-small</c>, and torchvision's <c>resnet18</c>, <c>mobilenet-v2</c> and <c>squeezenet</c>
    /// (1.1), whose stem is torchvision's for images of 64 pixels or more and the CIFAR variants'
    /// stride-1 3×3 stem below that.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(KnownNames);

    /// <summary>
    /// The small networks among <see cref="Names"/> (up to about 0.5 M parameters and a few MFLOPs
    /// per 28×28 image): the ones tests may run under every algorithm and thread count, where the
    /// torchvision-sized ones (1.2–11.7 M parameters) would cost minutes.
    /// </summary>
    public static IReadOnlyList<string> SmallNames { get; } = Array.AsReadOnly(SmallModels);

    /// <summary>Builds the named network for input Shape [N, inChannels, imageSize, imageSize] and output Shape [N, classes].</summary>
    /// <param name="name">One of <see cref="Names"/> (case-insensitive).</param>
    /// <param name="inChannels">Channels of the input images; positive.</param>
    /// <param name="classes">Number of output logits; positive.</param>
    /// <param name="imageSize">Height and width of the input images; large enough for the architecture.</param>
    /// <param name="random">Source of the initial values (and of dropout masks); <see cref="RandomSource.Global"/> when null.</param>
    /// <exception cref="ArgumentException">The name is unknown, a size is not positive, or the image is too small for the architecture.</exception>
    public static Sequential Create(string name, int inChannels = 1, int classes = 10, int imageSize = 28, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        RequirePositive(inChannels, nameof(inChannels));
        RequirePositive(classes, nameof(classes));
        RequirePositive(imageSize, nameof(imageSize));
        var options = new ZooOptions(name.ToLowerInvariant(), inChannels, classes, imageSize, random);
        return options.Name switch
        {
            "lenet5" => LeNet5(options),
            "fashion-cnn" => FashionCnn(options),
            "vgg-small" => VggSmall(options),
            "resnet-small" => ResNetSmall.Create(options),
            "resnet18" => ResNet18.Create(options),
            "mobilenet-v2" => MobileNetV2.Create(options),
            "squeezenet" => SqueezeNet.Create(options),
            _ => throw new ArgumentException($"unknown model \"{name}\"; known models: {string.Join(", ", KnownNames)}", nameof(name)),
        };
    }

    /// <summary>
    /// LeCun et al.'s LeNet-5 with ReLU and max pooling, padded so that a 28×28 image reaches the
    /// classic 16·5·5 = 400 features: Conv(6, 5×5, pad 2)-ReLU-MaxPool(2)-Conv(16, 5×5)-ReLU-MaxPool(2)-
    /// Flatten-Linear(120)-ReLU-Linear(84)-ReLU-Linear(classes).
    /// </summary>
    private static Sequential LeNet5(ZooOptions o)
    {
        var model = new Sequential(
            new Conv2d(o.InChannels, 6, 5, padding: 2, random: o.Random), new ReLU(), new MaxPool2d(2),
            new Conv2d(6, 16, 5, random: o.Random), new ReLU(), new MaxPool2d(2), new Flatten());
        int features = o.FlatFeatures(model, "two 2×2 poolings around a 5×5 valid convolution need at least 12 pixels");
        model.Add(new Linear(features, 120, random: o.Random));
        model.Add(new ReLU());
        model.Add(new Linear(120, 84, random: o.Random));
        model.Add(new ReLU());
        model.Add(new Linear(84, o.Classes, random: o.Random));
        return model;
    }

    /// <summary>
    /// Two 5×5 "same" convolutions with 32 and 64 channels, each followed by ReLU and 2×2 max
    /// pooling, then a 128-unit hidden layer: for 28×28 input the flattened features are 64·7·7 = 3136.
    /// The layer order is PyTorch's <c>nn.Sequential</c> with parameters 0, 3, 7 and 9.
    /// </summary>
    private static Sequential FashionCnn(ZooOptions o)
    {
        var model = new Sequential(
            new Conv2d(o.InChannels, 32, 5, padding: 2, random: o.Random), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 5, padding: 2, random: o.Random), new ReLU(), new MaxPool2d(2), new Flatten());
        int features = o.FlatFeatures(model, "two 2×2 poolings need at least 4 pixels");
        model.Add(new Linear(features, 128, random: o.Random));
        model.Add(new ReLU());
        model.Add(new Linear(128, o.Classes, random: o.Random));
        return model;
    }

    /// <summary>
    /// A small VGG (Simonyan &amp; Zisserman 2015): two blocks of [Conv3×3-BN-ReLU, Conv3×3-BN-ReLU,
    /// MaxPool 2×2] with 32 and 64 channels, then Flatten-Linear(128)-ReLU-Dropout(0.5)-Linear(classes).
    /// Two stacked 3×3 convolutions see a 5×5 field, as one 5×5 convolution does, with 2·9·C² instead
    /// of 25·C² weights and a non-linearity in between. The convolutions have no bias: the batch
    /// normalisation after each subtracts the channel mean, which would cancel it.
    /// </summary>
    private static Sequential VggSmall(ZooOptions o)
    {
        var model = new Sequential();
        int channels = o.InChannels;
        foreach (int width in (ReadOnlySpan<int>)[32, 64])
        {
            for (int repeat = 0; repeat < 2; repeat++)
            {
                model.Add(new Conv2d(channels, width, 3, padding: 1, bias: false, random: o.Random));
                model.Add(new BatchNorm2d(width));
                model.Add(new ReLU());
                channels = width;
            }
            model.Add(new MaxPool2d(2));
        }
        model.Add(new Flatten());
        int features = o.FlatFeatures(model, "two 2×2 poolings need at least 4 pixels");
        model.Add(new Linear(features, 128, random: o.Random));
        model.Add(new ReLU());
        model.Add(new Dropout(0.5f, o.DropoutRandom));
        model.Add(new Linear(128, o.Classes, random: o.Random));
        return model;
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"ModelZoo: {name} must be positive but got {value}", name);
        }
    }
}
