using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using static Convolve.Tests.Layers.BatchNormSetup;

namespace Convolve.Tests.Layers;

/// <summary>
/// Training-mode batch normalisation on channels whose mean is far from zero compared with their
/// spread (a BatchNorm after a ReLU, or on raw pixel values): per-channel offsets 0, 2 and 30 with
/// spreads 1, 0.1 and 0.01, small batches and spatial sizes, against the float64 reference
/// (<see cref="ReferenceOps.BatchNorm"/>, <see cref="ReferenceOps.BatchNormBackward"/>). Summing x and x²
/// (or g·x̂) in float lanes loses digits there; the layer must agree to 1e-5 of each tensor's scale.
/// </summary>
public class BatchNormOffsetPrecisionTests
{
    /// <summary>
    /// Allowed error: <c>|ours − ref| ≤ 1e-5·(|ref| + max|ref|)</c>, relative to the element and to the
    /// tensor's largest value (a per-channel sum that cancels to near zero is judged against the others).
    /// </summary>
    private const double Tolerance = 1e-5;

    private static readonly int[][] SmallShapes =
    [
        [2, 6, 7], [1, 4, 6, 2], [3, 3, 5, 5], [4, 5], [2, 3], [1, 2, 9], [4, 2, 1, 3], [3, 4, 2, 2], [2, 5, 3],
    ];

    private static readonly float[] Offsets = [0f, 2f, 30f];

    private static readonly float[] Spreads = [1f, 0.1f, 0.01f];

    private static readonly double[] Epsilons = [1e-7, 1e-5, 1e-3, 0.1];

    public static TheoryData<int[], float, float> Cases()
    {
        var data = new TheoryData<int[], float, float>();
        foreach (var shape in SmallShapes)
        {
            foreach (float offset in Offsets)
            {
                foreach (float spread in Spreads)
                {
                    data.Add(shape, offset, spread);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_backward_and_running_statistics_agree_with_float64(int[] shape, float offset, float spread)
    {
        // The options rotate over the cases so that every combination of affine, momentum and eps occurs.
        int index = Array.FindIndex(SmallShapes, s => s.SequenceEqual(shape)) * 9 + Array.IndexOf(Offsets, offset) * 3 + Array.IndexOf(Spreads, spread);
        bool affine = index % 2 == 0;
        double momentum = index / 2 % 2 == 0 ? 0.0 : 1.0;
        double eps = Epsilons[index % Epsilons.Length];
        var layer = Create(shape, affine, momentum: momentum, eps: eps);
        Randomize(layer, (ulong)(100 + index));
        var input = OffsetInput(shape, (ulong)(200 + index), offset, spread);
        var gradOutput = Input(shape, (ulong)(300 + index));
        var forward = ReferenceOps.BatchNorm(input, Copy(layer.Weight), Copy(layer.Bias), Copy(layer.RunningMean), Copy(layer.RunningVar),
            batchStatistics: true, updateRunning: true, momentum: momentum, eps: eps);
        var backward = ReferenceOps.BatchNormBackward(input, gradOutput, Copy(layer.Weight), forward.Mean, forward.Variance, true, eps);

        var output = layer.Forward(input);
        var gradInput = layer.Backward(gradOutput);

        string context = $"{Shape.Format(shape)} offset {offset} spread {spread} affine {affine} momentum {momentum} eps {eps}";
        AssertScaled(forward.Output, output.Data, $"{context}: output");
        AssertScaled(forward.RunningMean!, layer.RunningMean!.Data, $"{context}: running_mean");
        AssertScaled(forward.RunningVar!, layer.RunningVar!.Data, $"{context}: running_var");
        AssertScaled(backward.GradInput, gradInput.Data, $"{context}: grad_input", TermScale(shape, gradOutput, Copy(layer.Weight), forward.Variance, eps));
        if (affine)
        {
            AssertScaled(backward.GradWeight, layer.Weight!.Grad.Data, $"{context}: grad_weight");
            AssertScaled(backward.GradBias, layer.Bias!.Grad.Data, $"{context}: grad_bias");
        }
    }

    [Theory]
    [InlineData(2f, 0.1f)]
    [InlineData(30f, 0.01f)]
    public void The_folded_relu_keeps_the_precision(float offset, float spread)
    {
        int[] shape = [3, 4, 5, 3];
        var folded = (IFoldsRelu)Create(shape);
        var layer = (BatchNorm)folded;
        Randomize(layer, 41);
        var input = OffsetInput(shape, 42, offset, spread);
        var gradOutput = Input(shape, 43);
        var forward = ReferenceOps.BatchNorm(input, Copy(layer.Weight), Copy(layer.Bias), null, null, true, false, 0.1, 1e-5);
        double[] rectified = forward.Output.Select(v => Math.Max(v, 0.0)).ToArray();
        var gated = new Tensor(gradOutput.Shape, gradOutput.Data.Select((g, i) => forward.Output[i] > 0 ? g : 0f).ToArray());
        var backward = ReferenceOps.BatchNormBackward(input, gated, Copy(layer.Weight), forward.Mean, forward.Variance, true, 1e-5);

        var output = folded.ForwardWithRelu(input);
        var gradInput = layer.Backward(gradOutput);

        AssertScaled(rectified, output.Data, "folded ReLU output");
        AssertScaled(backward.GradInput, gradInput.Data, "folded ReLU grad_input", TermScale(shape, gated, Copy(layer.Weight), forward.Variance, 1e-5));
        AssertScaled(backward.GradWeight, layer.Weight!.Grad.Data, "folded ReLU grad_weight");
        AssertScaled(backward.GradBias, layer.Bias!.Grad.Data, "folded ReLU grad_bias");
    }

    /// <summary>Each channel c gets its own offset (±offset·(1 + c/4)) and the values offset + spread·N(0, 1).</summary>
    private static Tensor OffsetInput(int[] shape, ulong seed, float offset, float spread)
    {
        var input = Input(shape, seed, 0f, spread);
        int c = shape[1], s = input.Shape.SizeFrom(2);
        for (int k = 0; k < input.Size; k++)
        {
            int channel = k / s % c;
            input.Data[k] += offset * (1f + (channel / 4f)) * (channel % 2 == 0 ? 1f : -1f);
        }
        return input;
    }

    /// <summary>
    /// The size of the terms of gradInput = γ·invstd·(g − mean(g) − x̂·mean(g·x̂)): max |γ·invstd·g|. Where
    /// they cancel (a batch of two has x̂ = ±1 and gradInput ≈ 0 up to eps) no float result is closer
    /// than the rounding of these terms, so the error is judged against them.
    /// </summary>
    private static double TermScale(int[] shape, Tensor gradOutput, float[]? weight, double[] variance, double eps)
    {
        int c = shape[1], s = gradOutput.Shape.SizeFrom(2);
        double scale = 0;
        for (int k = 0; k < gradOutput.Size; k++)
        {
            int channel = k / s % c;
            scale = Math.Max(scale, Math.Abs((weight?[channel] ?? 1.0) * gradOutput.Data[k] / Math.Sqrt(variance[channel] + eps)));
        }
        return scale;
    }

    private static void AssertScaled(double[] expected, ReadOnlySpan<float> actual, string context, double termScale = 0)
    {
        double scale = Math.Max(termScale, expected.Max(Math.Abs));
        TensorAssert.Close(expected, actual, Tolerance, Tolerance * scale, context);
    }
}
