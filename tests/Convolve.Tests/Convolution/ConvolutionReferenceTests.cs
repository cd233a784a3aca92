using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>
/// Every convolution algorithm (im2col + GEMM, direct, Winograd, depthwise, and the Auto rule) against the
/// float64 direct-loop twins: forward and every gradient, on the edge cases and random configurations.
/// </summary>
public class ConvolutionReferenceTests
{
    private const double Rtol = 1e-4, Atol = 2e-4;

    public static TheoryData<ConvCase> ConvEdgeCases() =>
    [
        Conv("batch 1, 1×1 spatial", 2, 1, 3, 5, 1, [1, 1], [1, 1], 0, [1, 1], [1, 1]),
        Conv("1×1 spatial, 3×3 kernel, padding 1", 2, 2, 3, 2, 1, [3, 3], [1, 1], 1, [1, 1], [1, 1]),
        Conv("kernel = input", 2, 2, 5, 4, 1, [4, 5], [1, 1], 0, [1, 1], [4, 5]),
        Conv("stride > kernel", 1, 2, 3, 2, 1, [2], [3], 0, [1], [11]),
        Conv("odd sizes", 2, 1, 3, 4, 1, [3, 5], [2, 3], (1, 2), [1, 1], [7, 9]),
        Conv("17 channels", 1, 2, 17, 5, 1, [3], [1], 1, [1], [9]),
        Conv("depthwise", 2, 2, 6, 6, 6, [3, 3], [1, 1], 1, [1, 1], [5, 6]),
        Conv("depthwise ×2, stride 2, dilation 2", 2, 3, 5, 10, 5, [3, 3], [2, 2], 2, [2, 2], [11, 13]),
        Conv("depthwise 1-d, stride 3", 1, 2, 4, 4, 4, [5], [3], 1, [1], [17]),
        Conv("same, even kernel, dilation", 2, 1, 3, 2, 1, [4, 2], [1, 1], Padding.Same, [2, 3], [9, 7]),
        Conv("same 3-d, even kernels", 3, 1, 2, 3, 1, [2, 3, 4], [1, 1, 1], Padding.Same, [1, 2, 1], [4, 5, 6]),
        Conv("full, dilated", 1, 2, 2, 3, 1, [3], [1], Padding.Full, [2], [6]),
        Conv("valid, strided", 2, 2, 3, 3, 3, [2, 3], [2, 2], Padding.Valid, [1, 1], [7, 8]),
        Conv("pointwise with groups", 2, 2, 6, 4, 2, [1, 1], [1, 1], 0, [1, 1], [3, 5]),
        Conv("1×1 kernel, stride 2", 2, 1, 4, 3, 1, [1, 1], [2, 2], 0, [1, 1], [5, 6]),
        Conv("3-d, batch 1, stride 2, padding 1", 3, 1, 3, 5, 1, [3, 3, 3], [2, 2, 2], 1, [1, 1, 1], [5, 6, 7]),
        Conv("padding larger than dilated kernel", 1, 1, 2, 2, 1, [2], [2], 3, [1], [3]),
        Conv("several channel blocks, rows wider than a tile", 2, 2, 40, 50, 1, [3, 3], [1, 1], 1, [1, 1], [5, 31]),
        Conv("several blocks, strided and dilated", 2, 2, 33, 36, 1, [3, 3], [2, 2], 2, [2, 2], [9, 11]),
        Conv("several blocks, groups", 2, 1, 48, 40, 2, [3, 2], [1, 2], 1, [1, 1], [6, 9]),
        Conv("output blocks not a multiple of the weight tile (5 at 512 bits: 3 + 2)", 2, 2, 20, 80, 1, [3, 3], [1, 1], 1, [1, 1], [6, 7]),
        Conv("gray first layer (Auto: direct forward, im2col gradients)", 2, 3, 1, 40, 1, [5, 5], [1, 1], 2, [1, 1], [9, 17]),
        Conv("16 output blocks at 256 bits in balanced vector groups (2+3+3+2+3+3), rows of 7", 2, 2, 24, 128, 1, [3, 3], [1, 1], 1, [1, 1], [4, 7]),
    ];

    public static TheoryData<ConvCase> TransposedEdgeCases() =>
    [
        Transposed("output padding < stride", 2, 2, 3, 2, 1, [3, 3], [2, 2], 1, [1, 1], [4, 5], [1, 1]),
        Transposed("output padding < dilation, not < stride", 1, 2, 2, 3, 1, [3], [1], 0, [2], [5], [1]),
        Transposed("output padding 2 < dilation 3, stride 2", 2, 1, 2, 2, 1, [2, 3], [2, 2], (0, 1), [3, 3], [3, 4], [2, 2]),
        Transposed("batch 1, 1×1 input", 2, 1, 5, 3, 1, [3, 3], [2, 2], 0, [1, 1], [1, 1], [0, 0]),
        Transposed("stride > kernel leaves gaps", 1, 2, 3, 2, 1, [2], [3], 0, [1], [4], [2]),
        Transposed("groups", 2, 2, 6, 4, 2, [3, 2], [2, 1], (1, 0), [1, 1], [3, 4], [1, 0]),
        Transposed("depthwise, stride 2", 2, 2, 6, 6, 6, [3, 3], [2, 2], 1, [1, 1], [4, 5], [1, 1]),
        Transposed("17 channels, no bias", 1, 1, 17, 3, 1, [4], [2], 1, [1], [5], [0], bias: false),
        Transposed("pointwise", 2, 2, 4, 6, 2, [1, 1], [1, 1], 0, [1, 1], [3, 4], [0, 0]),
        Transposed("3-d, mixed output padding", 3, 1, 2, 3, 1, [3, 2, 3], [2, 1, 2], (1, 0, 1), [1, 2, 1], [3, 2, 3], [1, 1, 0]),
        Transposed("several channel blocks, stride 2", 2, 2, 36, 20, 1, [4, 4], [2, 2], 1, [1, 1], [5, 7], [0, 0]),
        Transposed("several blocks, stride 3, dilation 2", 2, 1, 20, 34, 1, [3, 2], [3, 2], 1, [2, 1], [4, 6], [1, 0]),
    ];

    public static readonly ConvolutionAlgorithm[] Algorithms =
        [ConvolutionAlgorithm.Im2Col, ConvolutionAlgorithm.Direct, ConvolutionAlgorithm.Winograd, ConvolutionAlgorithm.Depthwise, ConvolutionAlgorithm.Auto];

    public static TheoryData<ConvCase, ConvolutionAlgorithm> ConvEdgeCasesPerAlgorithm() => PerAlgorithm(ConvEdgeCases());

    public static TheoryData<ConvCase, ConvolutionAlgorithm> TransposedEdgeCasesPerAlgorithm() => PerAlgorithm(TransposedEdgeCases());

    public static TheoryData<int, int, ConvolutionAlgorithm> RandomCounts()
    {
        var data = new TheoryData<int, int, ConvolutionAlgorithm>();
        foreach (ConvolutionAlgorithm algorithm in Algorithms)
        {
            data.Add(1, 60, algorithm);
            data.Add(2, 60, algorithm);
            data.Add(3, 30, algorithm);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ConvEdgeCasesPerAlgorithm))]
    public void Conv_edge_case_matches_reference(ConvCase c, ConvolutionAlgorithm algorithm) => CheckConv(c, 7, algorithm);

    [Theory]
    [MemberData(nameof(TransposedEdgeCasesPerAlgorithm))]
    public void ConvTranspose_edge_case_matches_reference(ConvCase c, ConvolutionAlgorithm algorithm) => CheckTransposed(c, 7, algorithm);

    [Theory]
    [MemberData(nameof(RandomCounts))]
    public void Conv_random_configurations_match_reference(int dims, int count, ConvolutionAlgorithm algorithm)
    {
        for (ulong seed = 1; seed <= (ulong)count; seed++)
        {
            CheckConv(ConvCase.RandomConv(dims, seed * 101 + (ulong)dims), seed, algorithm);
        }
    }

    [Theory]
    [MemberData(nameof(RandomCounts))]
    public void ConvTranspose_random_configurations_match_reference(int dims, int count, ConvolutionAlgorithm algorithm)
    {
        for (ulong seed = 1; seed <= (ulong)count; seed++)
        {
            CheckTransposed(ConvCase.RandomTransposed(dims, seed * 103 + (ulong)dims), seed, algorithm);
        }
    }

    private static TheoryData<ConvCase, ConvolutionAlgorithm> PerAlgorithm(TheoryData<ConvCase> cases)
    {
        var data = new TheoryData<ConvCase, ConvolutionAlgorithm>();
        foreach (ConvolutionAlgorithm algorithm in Algorithms)
        {
            foreach (ConvCase c in cases)
            {
                data.Add(c, algorithm);
            }
        }
        return data;
    }

    /// <summary>
    /// Forward, then backward with the parameter gradients pre-filled, so that the check also
    /// shows backward adds into them rather than overwriting.
    /// </summary>
    private static void CheckConv(ConvCase c, ulong seed, ConvolutionAlgorithm algorithm)
    {
        ConvNd layer = c.Conv(seed);
        layer.Algorithm = algorithm;
        Tensor input = c.Input(seed + 1);
        AssertRuns(layer, input.Shape, algorithm);
        Tensor output = layer.Forward(input);
        Assert.True(ReferenceOps.ConvOutputShape(input.Shape, c.OutChannels, layer.Geometry) == output.Shape, $"{c}: output shape {output.Shape}");
        TensorAssert.Close(ReferenceOps.ConvForward(input, layer.Weight.Value, layer.Bias?.Value, layer.Geometry, c.Groups), output.Data, Rtol, Atol, $"{c} {algorithm} forward");

        Tensor gradOutput = Tensor.RandomNormal(output.Shape, seed + 2);
        double[] expectedWeight = PreFill(layer.Weight, seed + 3, ReferenceOps.ConvWeightGrad(input, gradOutput, layer.Geometry, c.Groups));
        double[]? expectedBias = layer.Bias is null ? null : PreFill(layer.Bias, seed + 4, ReferenceOps.BiasGrad(gradOutput));
        Tensor gradInput = layer.Backward(gradOutput);
        Assert.True(input.Shape == gradInput.Shape, $"{c}: gradInput shape {gradInput.Shape}");
        TensorAssert.Close(ReferenceOps.ConvInputGrad(gradOutput, layer.Weight.Value, layer.Geometry, c.Groups, input.Shape), gradInput.Data, Rtol, Atol, $"{c} {algorithm} gradInput");
        TensorAssert.Close(expectedWeight, layer.Weight.Grad.Data, Rtol, Atol, $"{c} {algorithm} gradWeight");
        if (expectedBias is not null)
        {
            TensorAssert.Close(expectedBias, layer.Bias!.Grad.Data, Rtol, Atol, $"{c} {algorithm} gradBias");
        }
    }

    private static void CheckTransposed(ConvCase c, ulong seed, ConvolutionAlgorithm algorithm)
    {
        ConvTransposeNd layer = c.Transposed(seed);
        layer.Algorithm = algorithm;
        Tensor input = c.Input(seed + 1);
        AssertRuns(layer, input.Shape, algorithm);
        Tensor output = layer.Forward(input);
        Assert.True(ReferenceOps.ConvTransposeOutputShape(input.Shape, c.OutChannels, layer.Geometry) == output.Shape, $"{c}: output shape {output.Shape}");
        TensorAssert.Close(ReferenceOps.ConvTransposeForward(input, layer.Weight.Value, layer.Bias?.Value, layer.Geometry, c.Groups), output.Data, Rtol, Atol, $"{c} {algorithm} forward");

        Tensor gradOutput = Tensor.RandomNormal(output.Shape, seed + 2);
        double[] expectedWeight = PreFill(layer.Weight, seed + 3, ReferenceOps.ConvTransposeWeightGrad(input, gradOutput, layer.Geometry, c.Groups));
        double[]? expectedBias = layer.Bias is null ? null : PreFill(layer.Bias, seed + 4, ReferenceOps.BiasGrad(gradOutput));
        Tensor gradInput = layer.Backward(gradOutput);
        Assert.True(input.Shape == gradInput.Shape, $"{c}: gradInput shape {gradInput.Shape}");
        TensorAssert.Close(ReferenceOps.ConvTransposeInputGrad(gradOutput, layer.Weight.Value, layer.Geometry, c.Groups, input.Shape), gradInput.Data, Rtol, Atol, $"{c} {algorithm} gradInput");
        TensorAssert.Close(expectedWeight, layer.Weight.Grad.Data, Rtol, Atol, $"{c} {algorithm} gradWeight");
        if (expectedBias is not null)
        {
            TensorAssert.Close(expectedBias, layer.Bias!.Grad.Data, Rtol, Atol, $"{c} {algorithm} gradBias");
        }
    }

    /// <summary>A pinned algorithm is the one that runs; Winograd runs where it applies, else the rule's choice, as does Auto.</summary>
    private static void AssertRuns(ConvolutionBase layer, Shape input, ConvolutionAlgorithm algorithm)
    {
        ConvolutionAlgorithm runs = layer.AlgorithmFor(input);
        Assert.NotEqual(ConvolutionAlgorithm.Auto, runs);
        if (algorithm is ConvolutionAlgorithm.Im2Col or ConvolutionAlgorithm.Direct)
        {
            Assert.Equal(algorithm, runs);
        }
    }

    /// <summary>Fills the gradient with random values and returns them plus <paramref name="increment"/>.</summary>
    private static double[] PreFill(Parameter parameter, ulong seed, double[] increment)
    {
        Tensor.RandomNormal(parameter.Shape, seed).Data.CopyTo(parameter.Grad.Data, 0);
        return increment.Select((value, i) => value + parameter.Grad.Data[i]).ToArray();
    }

    private static ConvCase Conv(string label, int dims, int batch, int inC, int outC, int groups, int[] k, int[] s, Padding p, int[] d, int[] input, bool bias = true) =>
        new(label, dims, batch, inC, outC, groups, k, s, p, d, input, new int[dims], bias);

    private static ConvCase Transposed(string label, int dims, int batch, int inC, int outC, int groups, int[] k, int[] s, Padding p, int[] d, int[] input, int[] outputPadding, bool bias = true) =>
        new(label, dims, batch, inC, outC, groups, k, s, p, d, input, outputPadding, bias);
}
