using System.Runtime.Intrinsics;
using Convolve.Kernels;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Dense;

/// <summary>Every element-wise operator at every forced width against the float64 reference.</summary>
public class ElementwiseTests
{
    /// <summary>Lengths that leave every possible scalar tail after 4-, 8- and 16-wide steps, and inputs shorter than one vector.</summary>
    private static readonly int[] Lengths = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 47, 64, 101];

    private static readonly float[] Specials =
    [
        0f, -0f, 1e-30f, -1e-30f, 1e-4f, -1e-4f, 9.7e-4f, -9.8e-4f, 0.5f, -3f, 20f, -20f, 88f, -88f,
        100f, -100f, 1e4f, -1e4f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.NaN,
    ];

    private const double ForwardRtol = 1.2e-7, Tiny = 1e-45;

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Relu_forward_matches_reference(string width) =>
        CheckUnary(new ElementwiseRelu.Forward(), ReferenceOps.Relu, width, ForwardRtol, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void LeakyRelu_forward_matches_reference(string width) =>
        CheckUnary(new ElementwiseLeakyRelu.Forward(0.2f), x => ReferenceOps.LeakyRelu(x, 0.2f), width, ForwardRtol, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Sigmoid_forward_matches_reference(string width) =>
        CheckUnary(new ElementwiseSigmoid.Forward(), ReferenceOps.Sigmoid, width, ForwardRtol, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Tanh_forward_matches_reference(string width) =>
        CheckUnary(new ElementwiseTanh.Forward(), ReferenceOps.Tanh, width, ForwardRtol, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Relu_backward_matches_reference(string width) =>
        CheckBinary(new ElementwiseRelu.Backward(), ReferenceOps.ReluBackward, width, 0, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void LeakyRelu_backward_matches_reference(string width) =>
        CheckBinary(new ElementwiseLeakyRelu.Backward(-0.5f), (g, x) => ReferenceOps.LeakyReluBackward(g, x, -0.5f), width, 0, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Sigmoid_backward_matches_reference(string width) =>
        CheckBinary(new ElementwiseSigmoid.Backward(), ReferenceOps.SigmoidBackward, width, 5e-7, Tiny, output: x => (float)ReferenceOps.Sigmoid(x));

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Tanh_backward_matches_reference(string width) =>
        CheckBinary(new ElementwiseTanh.Backward(), ReferenceOps.TanhBackward, width, 5e-7, 5e-7, output: x => (float)ReferenceOps.Tanh(x));

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Hardtanh_forward_matches_reference(string width) =>
        CheckUnary(new ElementwiseHardtanh.Forward(-0.25f, 0.5f), x => x < -0.25 ? -0.25 : x > 0.5 ? 0.5 : x, width, 0, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Hardtanh_backward_matches_reference(string width) =>
        CheckBinary(new ElementwiseHardtanh.Backward(-0.25f, 0.5f), (g, x) => x > -0.25 && x < 0.5 ? g : 0, width, 0, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Multiply_matches_reference(string width) =>
        CheckBinary(new ElementwiseMultiply(), (x, y) => x * y, width, ForwardRtol, Tiny);

    [Theory]
    [InlineData("Scalar"), InlineData("Vector128"), InlineData("Vector256"), InlineData("Vector512")]
    public void Output_may_alias_the_input_exactly(string width)
    {
        float[] data = Values(37, 5);
        double[] expected = ReferenceOps.Map(data, ReferenceOps.Tanh);
        Elementwise.Map(new ElementwiseTanh.Forward(), data, data, Enum.Parse<SimdLevel>(width));
        AssertMatches(expected, data, ForwardRtol, Tiny, $"in place at {width}");
    }

    [Fact]
    public void Start_up_width_is_the_widest_accelerated_one_unless_CONVOLVE_SIMD_lowers_it()
    {
        SimdLevel hardware = Vector512.IsHardwareAccelerated ? SimdLevel.Vector512
            : Vector256.IsHardwareAccelerated ? SimdLevel.Vector256
            : Vector128.IsHardwareAccelerated ? SimdLevel.Vector128 : SimdLevel.Scalar;
        SimdLevel expected = Environment.GetEnvironmentVariable(Simd.EnvironmentVariable) switch
        {
            null or "" => hardware,
            "scalar" => SimdLevel.Scalar,
            "128" => SimdLevel.Vector128,
            "256" => SimdLevel.Vector256,
            _ => SimdLevel.Vector512,
        };
        Assert.Equal(expected, Elementwise.Width);
    }

    [Fact]
    public void Length_mismatch_and_partial_overlap_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Elementwise.Map(new ElementwiseRelu.Forward(), new float[5], new float[4]));
        Assert.Contains("input has 5 elements but output has 4", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Elementwise.Map(new ElementwiseMultiply(), new float[3], new float[2], new float[3]));
        Assert.Contains("y has 2 elements but output has 3", ex.Message, StringComparison.Ordinal);
        float[] buffer = new float[10];
        ex = Assert.Throws<ArgumentException>(() => Elementwise.Map(new ElementwiseRelu.Forward(), buffer.AsSpan(0, 8), buffer.AsSpan(2, 8)));
        Assert.Contains("overlaps output at offset 2", ex.Message, StringComparison.Ordinal);
    }

    private static void CheckUnary<TOp>(TOp op, Func<double, double> reference, string width, double rtol, double atol)
        where TOp : struct, IElementwiseUnaryOperator
    {
        var forced = Enum.Parse<SimdLevel>(width);
        foreach (int length in Lengths)
        {
            float[] input = Values(length, (ulong)length);
            var output = new float[length];
            Elementwise.Map(op, input, output, forced);
            AssertMatches(ReferenceOps.Map(input, reference), output, rtol, atol, $"{typeof(TOp).FullName} at {width}, length {length}");
        }
    }

    /// <summary>Operands are (gradOutput, saved) with the saved tensor the input, or the output computed by <paramref name="output"/>.</summary>
    private static void CheckBinary<TOp>(TOp op, Func<double, double, double> reference, string width, double rtol, double atol, Func<float, float>? output = null)
        where TOp : struct, IElementwiseBinaryOperator
    {
        var forced = Enum.Parse<SimdLevel>(width);
        foreach (int length in Lengths)
        {
            float[] gradOutput = Tensor.RandomNormal(new Shape(length), 100 + (ulong)length).Data;
            float[] saved = Values(length, (ulong)length);
            if (output is not null)
            {
                saved = Array.ConvertAll(saved, v => output(v));
            }
            var result = new float[length];
            Elementwise.Map(op, gradOutput, saved, result, forced);
            AssertMatches(ReferenceOps.Map(gradOutput, saved, reference), result, rtol, atol, $"{typeof(TOp).FullName} at {width}, length {length}");
        }
    }

    /// <summary>Random values with the special ones spread over vector bodies and scalar tails.</summary>
    private static float[] Values(int length, ulong seed)
    {
        float[] values = Tensor.RandomNormal(new Shape(length), seed, 0f, 3f).Data;
        for (int i = 0; i < length; i += 3)
        {
            values[i] = Specials[(i / 3 + (int)seed) % Specials.Length];
        }
        return values;
    }

    /// <summary>Close within atol + rtol·|expected|, where equal values (infinities) and NaN against NaN also match.</summary>
    private static void AssertMatches(double[] expected, float[] actual, double rtol, double atol, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = expected[i] == actual[i] || (double.IsNaN(expected[i]) && float.IsNaN(actual[i]));
            if (!same && !(Math.Abs(actual[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i])))
            {
                Assert.Fail($"{context}: element {i} is {actual[i]:G9} but expected {expected[i]:G9}");
            }
        }
    }
}
