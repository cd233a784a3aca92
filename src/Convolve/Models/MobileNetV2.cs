using Convolve.Layers;

namespace Convolve.Models;

/// <summary>
/// MobileNetV2 (Sandler et al. 2018; torchvision's <c>mobilenet_v2</c>, width 1.0): a Conv3×3-BN-ReLU6
/// stem with 32 channels, seventeen inverted residual blocks, a Conv1×1-BN-ReLU6 to 1280 channels,
/// global average pooling, Dropout(0.2) and a linear classifier; 3,504,872 parameters for 3 channels
/// and 1000 classes, as torchvision counts. An inverted residual block expands by t with a 1×1
/// convolution (left out when t = 1), filters each channel alone with a 3×3 depthwise convolution
/// (groups = channels) carrying the block's stride, and projects back with a linear 1×1 convolution
/// (no ReLU6 after it); each convolution has its BN, ReLU6 is <c>Hardtanh(0, 6)</c>. Where the stride
/// is 1 and the channels do not change the block is a <see cref="Residual"/> with the identity
/// shortcut, otherwise the plain chain. For images of at least <see cref="ZooOptions.LargeImage"/>
/// pixels the strides are torchvision's (32 in all); for smaller ones the stem and the first
/// 24-channel block run at stride 1, as the usual CIFAR variant, so 32×32 ends at 4×4 (8 in all).
/// Initialisation as torchvision's: convolutions <c>kaiming_normal_(mode="fan_out")</c>, BN 1 and
/// 0, the classifier's weight N(0, 0.01²) and bias 0.
/// </summary>
internal static class MobileNetV2
{
    // torchvision's inverted_residual_setting: expansion t, output channels c, repeats n, first stride s.
    private static readonly (int T, int C, int N, int S)[] Settings =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    public static Sequential Create(ZooOptions o)
    {
        var model = new Sequential(ConvBnRelu6(o, o.InChannels, 32, 3, o.IsLarge ? 2 : 1, groups: 1));
        int channels = 32;
        foreach (var (t, c, n, s) in Settings)
        {
            for (int i = 0; i < n; i++)
            {
                int stride = i > 0 ? 1 : c == 24 && !o.IsLarge ? 1 : s;
                model.Add(InvertedResidual(o, channels, c, stride, t));
                channels = c;
            }
        }
        model.Add(ConvBnRelu6(o, channels, 1280, 1, 1, groups: 1));
        model.Add(new AdaptiveAvgPool2d(1));
        model.Add(new Flatten());
        o.FlatFeatures(model, "the stride-2 convolutions need at least 1 pixel after them");
        model.Add(new Dropout(0.2f, o.DropoutRandom));
        var classifier = new Linear(1280, o.Classes, random: o.Random);
        model.Add(classifier);
        ZooInit.KaimingNormalFanOut(model, o.Random, zeroBias: true);
        classifier.Weight.Value.FillNormal(o.Random, 0f, 0.01f);
        classifier.Bias!.Value.Span.Clear();
        return model;
    }

    private static Layer InvertedResidual(ZooOptions o, int inChannels, int outChannels, int stride, int expansion)
    {
        int hidden = inChannels * expansion;
        var body = new Sequential();
        if (expansion != 1)
        {
            body.Add(ConvBnRelu6(o, inChannels, hidden, 1, 1, groups: 1));
        }
        body.Add(ConvBnRelu6(o, hidden, hidden, 3, stride, groups: hidden));
        body.Add(new Conv2d(hidden, outChannels, 1, bias: false, random: o.Random));
        body.Add(new BatchNorm2d(outChannels));
        return stride == 1 && inChannels == outChannels ? new Residual(body) : body;
    }

    /// <summary>torchvision's Conv2dNormActivation: Conv (padding (k − 1)/2, no bias)-BN-ReLU6 as one nested chain.</summary>
    private static Sequential ConvBnRelu6(ZooOptions o, int inChannels, int outChannels, int kernel, int stride, int groups) =>
        new(new Conv2d(inChannels, outChannels, kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false, random: o.Random),
            new BatchNorm2d(outChannels), new Hardtanh(0f, 6f));
}
