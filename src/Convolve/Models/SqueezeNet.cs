using Convolve.Layers;

namespace Convolve.Models;

/// <summary>
/// SqueezeNet 1.1 (Iandola et al. 2016; torchvision's <c>squeezenet1_1</c>): a 64-channel stem,
/// eight Fire modules with 3×3 stride-2 max poolings (ceil mode) after the second and the fourth,
/// then Dropout(0.5), a 1×1 convolution to the classes, ReLU and global average pooling; 1,235,496
/// parameters for 3 channels and 1000 classes, as torchvision counts. A Fire module is a
/// <see cref="Graph"/>: a 1×1 "squeeze" convolution with ReLU feeding two "expand" convolutions
/// (1×1 and 3×3 pad 1) with ReLU each, joined by <see cref="Concat"/> over channels; its nodes carry
/// torchvision's names (<c>squeeze</c>, <c>expand1x1</c>, <c>expand3x3</c>, their <c>_activation</c>s).
/// For images of at least <see cref="ZooOptions.LargeImage"/> pixels the stem is torchvision's
/// (Conv3×3 stride 2, ReLU, MaxPool3×3 stride 2 ceil); for smaller ones Conv3×3 stride 1 pad 1 and
/// ReLU without the pooling. Initialisation as torchvision's: convolutions <c>kaiming_uniform_</c>
/// (a = 0), the final one N(0, 0.01²), every bias 0.
/// </summary>
internal static class SqueezeNet
{
    public static Sequential Create(ZooOptions o)
    {
        var model = o.IsLarge
            ? new Sequential(new Conv2d(o.InChannels, 64, 3, stride: 2, random: o.Random), new ReLU(), Pool())
            : new Sequential(new Conv2d(o.InChannels, 64, 3, padding: 1, random: o.Random), new ReLU());
        model.Add(Fire(o, 64, 16, 64));
        model.Add(Fire(o, 128, 16, 64));
        model.Add(Pool());
        model.Add(Fire(o, 128, 32, 128));
        model.Add(Fire(o, 256, 32, 128));
        model.Add(Pool());
        model.Add(Fire(o, 256, 48, 192));
        model.Add(Fire(o, 384, 48, 192));
        model.Add(Fire(o, 384, 64, 256));
        model.Add(Fire(o, 512, 64, 256));
        model.Add(new Dropout(0.5f, o.DropoutRandom));
        var final = new Conv2d(512, o.Classes, 1, random: o.Random);
        model.Add(final);
        model.Add(new ReLU());
        model.Add(new AdaptiveAvgPool2d(1));
        model.Add(new Flatten());
        o.FlatFeatures(model, "the stem and two 3×3 max poolings need at least 3 pixels before each pooling");
        ZooInit.SqueezeNet(model, final, o.Random);
        return model;
    }

    /// <summary>A Fire module: squeeze to <paramref name="squeeze"/> channels, expand to <paramref name="expand"/> by 1×1 and by 3×3, concatenated.</summary>
    private static Graph Fire(ZooOptions o, int inChannels, int squeeze, int expand) => new(
        [
            new GraphNode("squeeze", new Conv2d(inChannels, squeeze, 1, random: o.Random), ["input"]),
            new GraphNode("squeeze_activation", new ReLU(), ["squeeze"]),
            new GraphNode("expand1x1", new Conv2d(squeeze, expand, 1, random: o.Random), ["squeeze_activation"]),
            new GraphNode("expand1x1_activation", new ReLU(), ["expand1x1"]),
            new GraphNode("expand3x3", new Conv2d(squeeze, expand, 3, padding: 1, random: o.Random), ["squeeze_activation"]),
            new GraphNode("expand3x3_activation", new ReLU(), ["expand3x3"]),
            new GraphNode("cat", new Concat(1), ["expand1x1_activation", "expand3x3_activation"]),
        ],
        output: "cat");

    private static MaxPool2d Pool() => new(3, stride: 2, ceilMode: true);
}
