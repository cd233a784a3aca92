using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Pooling;

/// <summary>
/// The 2×2 stride-2 average kernel and the vectorised <c>p = 2</c> Lp steps against their generic
/// twins (the general window loops of <see cref="PoolingAverage"/> and the general-p
/// <see cref="PoolingLp"/>): bit for bit, on odd sizes, widths that are not multiples of 8 or 16
/// and inputs laced with −0, NaN, ±∞, subnormals and values near the float range. The CI reruns
/// these at every SIMD level, which covers the vector and the scalar paths.
/// </summary>
public class AverageLpFastPathTests
{
    /// <summary>Planes, input height and width: output widths 1, 3, 7, 8, 9, 14, 15, 16, 17, 33.</summary>
    public static TheoryData<int, int, int> Planes() => new()
    {
        { 1, 2, 2 }, { 3, 5, 7 }, { 2, 6, 14 }, { 2, 4, 16 }, { 3, 3, 19 }, { 2, 28, 28 }, { 2, 7, 30 }, { 1, 4, 33 }, { 5, 9, 35 }, { 1, 5, 66 },
    };

    [Theory]
    [MemberData(nameof(Planes))]
    public void Average_forward_and_backward_are_bit_identical_to_the_window_loops(int planes, int h, int w)
    {
        Window3 window = Window(h, w);
        Assert.True(PoolingAverage2x2.Applies(window), $"{h}x{w} should take the fast path");
        float[] input = SpecialInput(planes * h * w, seed: (ulong)(h * 100 + w));
        float[] expected = new float[planes * window.OutputPlane], actual = new float[expected.Length];
        PoolingAverage.ForwardWindows(input, expected, planes, window, countIncludePad: true);
        PoolingAverage.Forward(input, actual, planes, window, countIncludePad: false);
        TensorAssert.Identical(expected, actual, $"forward {planes}x{h}x{w}");

        // Backward adds: start from a non-zero gradient so that the sums are really exercised.
        float[] gradOutput = SpecialInput(expected.Length, seed: 9), start = SpecialInput(input.Length, seed: 10);
        float[] expectedGrad = (float[])start.Clone(), actualGrad = (float[])start.Clone();
        PoolingAverage.BackwardAddWindows(gradOutput, expectedGrad, planes, window, countIncludePad: true);
        PoolingAverage.BackwardAdd(gradOutput, actualGrad, planes, window, countIncludePad: true);
        TensorAssert.Identical(expectedGrad, actualGrad, $"backward {planes}x{h}x{w}");
    }

    [Theory]
    [MemberData(nameof(Planes))]
    public void Squared_average_is_bit_identical_to_squaring_then_pooling(int planes, int h, int w)
    {
        Window3 window = Window(h, w);
        float[] input = SpecialInput(planes * h * w, seed: (ulong)(h * 10 + w)), powers = new float[input.Length];
        float[] expected = new float[planes * window.OutputPlane], actual = new float[expected.Length];
        PoolingLp.Power(input, powers, 2);
        PoolingAverage.ForwardWindows(powers, expected, planes, window, countIncludePad: true);
        PoolingAverage2x2.Forward(input, actual, planes, window, square: true);
        TensorAssert.Identical(expected, actual, $"{planes}x{h}x{w}");
    }

    [Theory]
    [MemberData(nameof(Planes))]
    public void Fused_square_backward_is_bit_identical_to_pool_backward_then_power_backward(int planes, int h, int w)
    {
        Window3 window = Window(h, w);
        float[] input = SpecialInput(planes * h * w, seed: (ulong)(h + w)), gradAverage = SpecialInput(planes * window.OutputPlane, seed: 4);
        float[] expected = new float[input.Length], actual = new float[input.Length];
        PoolingAverage.BackwardAddWindows(gradAverage, expected, planes, window, countIncludePad: true);
        PoolingLp.PowerBackwardInPlace(input, expected, 2);
        PoolingLp2x2.SquareBackward(gradAverage, input, actual, planes, window);
        SameUpToNaNPayload(expected, actual, $"{planes}x{h}x{w}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(23)]
    [InlineData(1000)]
    public void Square_root_and_square_backward_are_bit_identical_to_the_general_p_steps(int length)
    {
        float[] input = SpecialInput(length, seed: (ulong)length), grad = SpecialInput(length, seed: 3);
        float[] expected = new float[length], actual = new float[length];
        PoolingLp.Power(input, expected, 2);
        PoolingLp2.Square(input, actual);
        TensorAssert.Identical(expected, actual, "square");

        PoolingLp.Root(input, expected, 2, 4);
        PoolingLp2.Root(input, actual, 4);
        TensorAssert.Identical(expected, actual, "root");

        grad.CopyTo(expected, 0);
        grad.CopyTo(actual, 0);
        PoolingLp.PowerBackwardInPlace(input, expected, 2);
        PoolingLp2.SquareBackwardInPlace(input, actual);
        SameUpToNaNPayload(expected, actual, "square backward");
    }

    /// <summary>
    /// The root's gradient divides by a double square root where the general step multiplies by
    /// <c>Math.Pow(s, −½)</c>; each is within a double ulp of the exact value, so after rounding to
    /// float they agree except, rarely, by one float ulp. Zero sums give zero in both.
    /// </summary>
    [Theory]
    [InlineData(1, 4)]
    [InlineData(13, 4)]
    [InlineData(4096, 9)]
    public void Root_backward_is_within_one_float_ulp_of_the_general_p_step(int length, int kernelVolume)
    {
        float[] average = Tensor.RandomUniform(new Shape(length), (ulong)length, 0f, 3f).Data;
        float[] gradOutput = Tensor.RandomNormal(new Shape(length), 2).Data;
        average[0] = 0f;
        average[length / 2] = -0f;
        float[] expected = new float[length], actual = new float[length];
        PoolingLp.RootBackward(average, gradOutput, expected, 2, kernelVolume);
        PoolingLp2.RootBackward(average, gradOutput, actual, kernelVolume);
        for (int i = 0; i < length; i++)
        {
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(expected[i]) - BitConverter.SingleToInt32Bits(actual[i]));
            Assert.True(ulps <= 1, $"element {i} (s {average[i]:G9}, g {gradOutput[i]:G9}): {actual[i]:G9} but the general step gives {expected[i]:G9}");
        }
        Assert.Equal(0f, actual[0]);
        Assert.Equal(0f, actual[length / 2]);
    }

    [Theory]
    [InlineData(3, 4, 28, 28, false)]
    [InlineData(2, 3, 9, 19, false)]
    [InlineData(2, 3, 9, 19, true)]
    [InlineData(2, 5, 10, 12, false)]
    public void LPPool2d_p2_layer_matches_the_general_p_chain_with_reused_buffers(int n, int c, int h, int w, bool ceilMode)
    {
        Tensor input = Tensor.RandomNormal(new Shape(n, c, h, w), (ulong)(h * w));
        // Stride 2 and kernel 2 takes the fused path; ceil mode on odd sizes and kernel 3 take the general windows.
        var layer = w == 12 ? new LPPool2d(2, 3, stride: 2, ceilMode: ceilMode) : new LPPool2d(2, 2, ceilMode: ceilMode);
        layer.SetReuseBuffers(true);
        layer.Eval();
        Tensor evalOutput = layer.Forward(input);
        var (expected, expectedGrad, gradOutput) = GeneralChain(layer, input);
        TensorAssert.Identical(expected, evalOutput.Data, $"{input.Shape} evaluation");
        layer.Train();
        for (int round = 0; round < 2; round++)
        {
            TensorAssert.Identical(expected, layer.Forward(input).Data, $"{input.Shape} training, round {round}");
            // Only the root's gradient may differ, by a float ulp (1.2e-7 relative), which the rest of the chain scales by
            // 2x/4 with one more rounding; overlapping 3×3 windows add two such terms of size ~1, hence the small absolute part.
            TensorAssert.Close(expectedGrad, layer.Backward(gradOutput).Data, 3e-7, 1e-6, $"{input.Shape} gradient, round {round}");
        }
    }

    /// <summary>Output and input gradient of the layer's geometry from the general-p steps and the general window loops.</summary>
    private static (float[] Output, float[] GradInput, Tensor GradOutput) GeneralChain(LPPoolNd layer, Tensor input)
    {
        Shape outputShape = layer.OutputShape(input.Shape);
        Window3 window = layer.Geometry.ToWindow3(input.Shape.Dimensions[2..], outputShape.Dimensions[2..]);
        int planes = input.Shape[0] * input.Shape[1], k = window.KernelVolume;
        float[] powers = new float[input.Size], average = new float[outputShape.Size], output = new float[outputShape.Size];
        PoolingLp.Power(input.Data, powers, 2);
        PoolingAverage.ForwardWindows(powers, average, planes, window, countIncludePad: true);
        PoolingLp.Root(average, output, 2, k);
        Tensor gradOutput = Tensor.RandomNormal(outputShape, 77);
        float[] gradAverage = new float[outputShape.Size], gradInput = new float[input.Size];
        PoolingLp.RootBackward(average, gradOutput.Data, gradAverage, 2, k);
        PoolingAverage.BackwardAddWindows(gradAverage, gradInput, planes, window, countIncludePad: true);
        PoolingLp.PowerBackwardInPlace(input.Data, gradInput, 2);
        return (output, gradInput, gradOutput);
    }

    /// <summary>
    /// Bitwise equality, except that any NaN matches any NaN: the general step goes through the C
    /// library's <c>pow</c> and a double round trip, which do not keep a NaN's sign and payload
    /// (nor does PyTorch promise them).
    /// </summary>
    private static void SameUpToNaNPayload(float[] expected, float[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]);
            Assert.True(same, $"{context}: element {i} is {actual[i]:G9} but expected {expected[i]:G9}");
        }
    }

    private static Window3 Window(int h, int w) => new(1, h, w, 1, h / 2, w / 2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 1, 1, 1);

    /// <summary>Normal values with −0, +0, NaN, ±∞, subnormals, and magnitudes near 2¹²⁷ and the float maximum planted among them.</summary>
    private static float[] SpecialInput(int length, ulong seed)
    {
        float[] values = Tensor.RandomNormal(new Shape(length), seed).Data;
        float[] specials = [-0f, 0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, -3e-39f, 1.7e38f, -2e38f, float.MaxValue, 1e-20f];
        var random = new Random((int)seed);
        for (int i = 0; i < length / 5; i++)
        {
            values[random.Next(length)] = specials[random.Next(specials.Length)];
        }
        // A block of −0 over the first two rows makes whole windows of −0, whose sum must still start from +0.
        for (int i = 0; i < Math.Min(length, 70); i++)
        {
            values[i] = -0f;
        }
        return values;
    }
}
