using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using static Convolve.Tests.Layers.BatchNormSetup;

namespace Convolve.Tests.Layers;

public class BatchNormBackwardTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int[], bool> Cases => ShapesWithAffine();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_backward_matches_the_jacobian_reference(int[] shape, bool affine)
    {
        var layer = Create(shape, affine);
        Randomize(layer, 61);
        var input = Input(shape, 62, mean: 1f, std: 1.5f);
        var gradOutput = Input(shape, 63);
        var forward = ReferenceOps.BatchNorm(input, Copy(layer.Weight), null, null, null, true, false, 0.1, 1e-5);
        var expected = ReferenceOps.BatchNormBackward(input, gradOutput, Copy(layer.Weight), forward.Mean, forward.Variance, true, 1e-5);

        layer.Forward(input);
        var gradInput = layer.Backward(gradOutput);

        AssertGradients(expected, gradInput, layer, $"train {Shape.Format(shape)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Eval_backward_is_the_affine_map_with_running_statistics(int[] shape, bool affine)
    {
        var layer = Create(shape, affine);
        Randomize(layer, 71);
        layer.Eval();
        var input = Input(shape, 72);
        var gradOutput = Input(shape, 73);
        var mean = Copy(layer.RunningMean)!.Select(v => (double)v).ToArray();
        var variance = Copy(layer.RunningVar)!.Select(v => (double)v).ToArray();
        var expected = ReferenceOps.BatchNormBackward(input, gradOutput, Copy(layer.Weight), mean, variance, false, 1e-5);

        layer.Forward(input);
        var gradInput = layer.Backward(gradOutput);

        AssertGradients(expected, gradInput, layer, $"eval {Shape.Format(shape)}");
    }

    [Fact]
    public void Backward_adds_into_the_parameter_gradients()
    {
        var layer = Create([3, 4, 5]);
        Randomize(layer, 81);
        var input = Input([3, 4, 5], 82);
        var gradOutput = Input([3, 4, 5], 83);
        layer.Forward(input);
        layer.Backward(gradOutput);
        float[] onceWeight = layer.Weight!.Grad.Data.ToArray(), onceBias = layer.Bias!.Grad.Data.ToArray();

        layer.Forward(input);
        layer.Backward(gradOutput);

        TensorAssert.Close(onceWeight.Select(g => 2.0 * g).ToArray(), layer.Weight.Grad.Data, 1e-6, 1e-7, "grad weight after two passes");
        TensorAssert.Close(onceBias.Select(g => 2.0 * g).ToArray(), layer.Bias.Grad.Data, 1e-6, 1e-7, "grad bias after two passes");
    }

    [Theory]
    [InlineData(new[] { 6, 3 }, true, true, true)]
    [InlineData(new[] { 2, 3 }, true, true, true)]
    [InlineData(new[] { 3, 2, 5 }, true, true, false)]
    [InlineData(new[] { 2, 3, 3, 4 }, true, true, true)]
    [InlineData(new[] { 1, 2, 3, 3 }, true, false, true)]
    [InlineData(new[] { 5, 4 }, false, true, true)]
    [InlineData(new[] { 2, 3, 4 }, false, true, true)]
    [InlineData(new[] { 2, 3, 2, 3 }, false, true, true)]
    [InlineData(new[] { 2, 3, 2, 3 }, false, true, false)]
    [InlineData(new[] { 4, 2, 3 }, false, false, false)]
    public void Gradient_check_for_input_weight_and_bias(int[] shape, bool training, bool affine, bool track)
    {
        var layer = Create(shape, affine, track);
        Randomize(layer, 91);
        layer.SetTraining(training);
        GradientAssert.Layer(layer, Input(shape, 92), seed: 93);
    }

    private static void AssertGradients((double[] GradInput, double[] GradWeight, double[] GradBias) expected, Tensor gradInput, BatchNorm layer, string context)
    {
        TensorAssert.Close(expected.GradInput, gradInput.Data, Tolerance, Tolerance, $"{context} grad input");
        if (layer.Affine)
        {
            TensorAssert.Close(expected.GradWeight, layer.Weight!.Grad.Data, Tolerance, Tolerance, $"{context} grad weight");
            TensorAssert.Close(expected.GradBias, layer.Bias!.Grad.Data, Tolerance, Tolerance, $"{context} grad bias");
        }
    }
}
