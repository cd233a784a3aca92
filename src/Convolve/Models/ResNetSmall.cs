using Convolve.Layers;

namespace Convolve.Models;

/// <summary>
/// A small residual network after He et al. 2016 (the CIFAR variant): a 3×3 stem with 16 channels,
/// one basic block per stage for stages of 16, 32 (stride 2) and 64 (stride 2) channels, global
/// average pooling and a linear classifier. A basic block is
/// <c>ReLU(body(x) + shortcut(x))</c> with body Conv3×3-BN-ReLU-Conv3×3-BN; the shortcut is the
/// identity, or a strided 1×1 convolution with BN where the block changes the shape. Convolutions
/// followed by batch normalisation have no bias, which the normalisation would cancel.
/// </summary>
internal static class ResNetSmall
{
    /// <summary>Builds the network; global average pooling accepts any image size.</summary>
    public static Sequential Create(ZooOptions o)
    {
        var model = new Sequential(Conv3x3(o, o.InChannels, 16, stride: 1), new BatchNorm2d(16), new ReLU());
        int channels = 16;
        foreach (var (width, stride) in (ReadOnlySpan<(int, int)>)[(16, 1), (32, 2), (64, 2)])
        {
            model.Add(BasicBlock(o, channels, width, stride));
            model.Add(new ReLU());
            channels = width;
        }
        model.Add(new AdaptiveAvgPool2d(1));
        model.Add(new Flatten());
        model.Add(new Linear(channels, o.Classes, random: o.Random));
        return model;
    }

    /// <summary>A basic block <c>body(x) + shortcut(x)</c> (the ReLU after it is the caller's); shared with <see cref="ResNet18"/>.</summary>
    internal static Residual BasicBlock(ZooOptions o, int inChannels, int outChannels, int stride)
    {
        var body = new Sequential(
            Conv3x3(o, inChannels, outChannels, stride), new BatchNorm2d(outChannels), new ReLU(),
            Conv3x3(o, outChannels, outChannels, stride: 1), new BatchNorm2d(outChannels));
        Sequential? shortcut = stride == 1 && inChannels == outChannels
            ? null
            : new Sequential(new Conv2d(inChannels, outChannels, 1, stride: stride, bias: false, random: o.Random), new BatchNorm2d(outChannels));
        return new Residual(body, shortcut);
    }

    /// <summary>A 3×3 convolution with padding 1 and no bias (a batch normalisation follows it).</summary>
    internal static Conv2d Conv3x3(ZooOptions o, int inChannels, int outChannels, int stride) =>
        new(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false, random: o.Random);
}
