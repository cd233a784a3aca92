using Convolve.Layers;

namespace Convolve.Models;

/// <summary>
/// ResNet-18 (He et al. 2016; torchvision's <c>resnet18</c>): a stem, four stages of two basic
/// blocks with 64, 128 (stride 2), 256 (stride 2) and 512 (stride 2) channels, global average
/// pooling and a linear classifier; 11,689,512 parameters for 3 channels and 1000 classes, as
/// torchvision counts. For images of at least <see cref="ZooOptions.LargeImage"/> pixels the stem
/// is torchvision's (Conv7×7 stride 2 pad 3-BN-ReLU-MaxPool3×3 stride 2 pad 1); for smaller ones
/// (28×28, 32×32) it is the usual CIFAR variant's Conv3×3 stride 1-BN-ReLU without the pooling.
/// The blocks are <see cref="Residual"/>s as in <c>resnet-small</c>, each followed by its ReLU, in one
/// flat <see cref="Sequential"/>. Initialisation as torchvision's: every convolution
/// <c>kaiming_normal_(mode="fan_out", nonlinearity="relu")</c>, batch normalisation 1 and 0, the
/// classifier PyTorch's default.
/// </summary>
internal static class ResNet18
{
    public static Sequential Create(ZooOptions o)
    {
        var model = o.IsLarge
            ? new Sequential(
                new Conv2d(o.InChannels, 64, 7, stride: 2, padding: 3, bias: false, random: o.Random), new BatchNorm2d(64), new ReLU(),
                new MaxPool2d(3, stride: 2, padding: 1))
            : new Sequential(ResNetSmall.Conv3x3(o, o.InChannels, 64, stride: 1), new BatchNorm2d(64), new ReLU());
        int channels = 64;
        foreach (var (width, stride) in (ReadOnlySpan<(int, int)>)[(64, 1), (128, 2), (256, 2), (512, 2)])
        {
            for (int block = 0; block < 2; block++)
            {
                model.Add(ResNetSmall.BasicBlock(o, channels, width, block == 0 ? stride : 1));
                model.Add(new ReLU());
                channels = width;
            }
        }
        model.Add(new AdaptiveAvgPool2d(1));
        model.Add(new Flatten());
        o.FlatFeatures(model, "the stem's stride-2 convolution and pooling need at least 1 pixel after them");
        model.Add(new Linear(channels, o.Classes, random: o.Random));
        ZooInit.KaimingNormalFanOut(model, o.Random, zeroBias: false);
        return model;
    }
}
