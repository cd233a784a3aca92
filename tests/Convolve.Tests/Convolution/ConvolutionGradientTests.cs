using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>Finite-difference checks of input, weight and bias gradients of every convolution variant, with every algorithm.</summary>
public class ConvolutionGradientTests
{
    public static TheoryData<string, ConvolutionAlgorithm> VariantsPerAlgorithm()
    {
        var data = new TheoryData<string, ConvolutionAlgorithm>();
        foreach (ConvolutionAlgorithm algorithm in ConvolutionReferenceTests.Algorithms)
        {
            foreach (string variant in VariantNames)
            {
                data.Add(variant, algorithm);
            }
        }
        return data;
    }

    private static readonly string[] VariantNames =
    [
        "Conv1d stride 2 padding 1",
        "Conv1d dilation 2 groups 2 no bias",
        "Conv2d",
        "Conv2d groups 3 dilation 2",
        "Conv2d same even kernel no bias",
        "Conv3d stride 2 padding 1",
        "Conv3d groups 2 dilation",
        "ConvTranspose1d stride 2 output padding 1",
        "ConvTranspose1d output padding below dilation no bias",
        "ConvTranspose2d",
        "ConvTranspose2d groups 2 dilation 2 output padding",
        "ConvTranspose2d no bias",
        "ConvTranspose3d stride 2 output padding",
        "ConvTranspose3d groups 2 dilation",
    ];

    [Theory]
    [MemberData(nameof(VariantsPerAlgorithm))]
    public void Gradients_match_central_differences(string variant, ConvolutionAlgorithm algorithm)
    {
        var (layer, inputShape) = Build(variant, new RandomSource(11));
        ((ConvolutionBase)layer).Algorithm = algorithm;
        GradientAssert.Layer(layer, Tensor.RandomNormal(inputShape, 12));
    }

    private static (Layer Layer, Shape InputShape) Build(string variant, RandomSource r) => variant switch
    {
        "Conv1d stride 2 padding 1" => (new Conv1d(3, 4, 3, stride: 2, padding: 1, random: r), new Shape(2, 3, 9)),
        "Conv1d dilation 2 groups 2 no bias" => (new Conv1d(4, 6, 3, dilation: 2, groups: 2, bias: false, random: r), new Shape(2, 4, 8)),
        "Conv2d" => (new Conv2d(3, 2, 3, random: r), new Shape(2, 3, 5, 6)),
        "Conv2d groups 3 dilation 2" => (new Conv2d(6, 3, (2, 3), stride: (1, 2), padding: (1, 2), dilation: 2, groups: 3, random: r), new Shape(1, 6, 5, 7)),
        "Conv2d same even kernel no bias" => (new Conv2d(2, 3, (2, 4), padding: Padding.Same, dilation: (2, 1), bias: false, random: r), new Shape(2, 2, 4, 5)),
        "Conv3d stride 2 padding 1" => (new Conv3d(2, 3, 3, stride: 2, padding: 1, random: r), new Shape(1, 2, 4, 5, 5)),
        "Conv3d groups 2 dilation" => (new Conv3d(4, 2, (2, 2, 3), dilation: (2, 1, 1), groups: 2, random: r), new Shape(2, 4, 4, 3, 4)),
        "ConvTranspose1d stride 2 output padding 1" => (new ConvTranspose1d(3, 4, 3, stride: 2, padding: 1, outputPadding: 1, random: r), new Shape(2, 3, 5)),
        "ConvTranspose1d output padding below dilation no bias" => (new ConvTranspose1d(2, 3, 3, outputPadding: 1, bias: false, dilation: 2, random: r), new Shape(2, 2, 5)),
        "ConvTranspose2d" => (new ConvTranspose2d(3, 2, 3, random: r), new Shape(2, 3, 3, 4)),
        "ConvTranspose2d groups 2 dilation 2 output padding" => (new ConvTranspose2d(4, 6, (3, 2), stride: 2, padding: 1, outputPadding: (1, 0), groups: 2, dilation: 2, random: r), new Shape(1, 4, 3, 3)),
        "ConvTranspose2d no bias" => (new ConvTranspose2d(2, 3, 2, stride: 3, bias: false, random: r), new Shape(2, 2, 3, 2)),
        "ConvTranspose3d stride 2 output padding" => (new ConvTranspose3d(2, 3, 2, stride: 2, padding: (0, 1, 0), outputPadding: (1, 0, 1), random: r), new Shape(1, 2, 2, 3, 2)),
        "ConvTranspose3d groups 2 dilation" => (new ConvTranspose3d(4, 2, (2, 2, 3), groups: 2, dilation: (1, 2, 1), random: r), new Shape(2, 4, 2, 2, 3)),
        _ => throw new ArgumentException(variant, nameof(variant)),
    };
}
