using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Dense;

public class LinearTests
{
    [Theory]
    [InlineData(new[] { 1, 1 }, 1, true)]
    [InlineData(new[] { 1, 7 }, 3, true)]
    [InlineData(new[] { 5, 13 }, 17, true)]
    [InlineData(new[] { 64, 33 }, 10, true)]
    [InlineData(new[] { 9 }, 4, true)]
    [InlineData(new[] { 2, 3, 11 }, 6, false)]
    [InlineData(new[] { 3, 1, 2, 5 }, 1, true)]
    [InlineData(new[] { 0, 4 }, 3, true)]
    public void Forward_and_backward_match_reference(int[] inputDims, int outFeatures, bool bias)
    {
        int inFeatures = inputDims[^1];
        var layer = new Linear(inFeatures, outFeatures, bias, new RandomSource(3));
        var input = Tensor.RandomNormal(new Shape(inputDims), 4);
        int rows = input.Size / inFeatures;
        Tensor output = layer.Forward(input);
        int[] outputDims = (int[])inputDims.Clone();
        outputDims[^1] = outFeatures;
        Assert.Equal(new Shape(outputDims), output.Shape);
        double[] expected = ReferenceOps.LinearForward(input.Data, layer.Weight.Value.Data, layer.Bias?.Value.Data, rows, inFeatures, outFeatures);
        TensorAssert.Close(expected, output.Data, 1e-5, 1e-5, "forward");

        var gradOutput = Tensor.RandomNormal(output.Shape, 5);
        Tensor gradInput = layer.Backward(gradOutput);
        var (gradInputRef, gradWeightRef, gradBiasRef) = ReferenceOps.LinearBackward(input.Data, layer.Weight.Value.Data, gradOutput.Data, rows, inFeatures, outFeatures);
        Assert.Equal(input.Shape, gradInput.Shape);
        TensorAssert.Close(gradInputRef, gradInput.Data, 1e-5, 1e-5, "gradInput");
        TensorAssert.Close(gradWeightRef, layer.Weight.Grad.Data, 1e-5, 1e-5, "gradWeight");
        if (bias)
        {
            TensorAssert.Close(gradBiasRef, layer.Bias!.Grad.Data, 1e-5, 1e-5, "gradBias");
        }
    }

    [Fact]
    public void Backward_adds_into_the_parameter_gradients()
    {
        var layer = new Linear(4, 3, random: new RandomSource(6));
        var input = Tensor.RandomNormal(new Shape(2, 4), 7);
        var gradOutput = Tensor.RandomNormal(new Shape(2, 3), 8);
        layer.Forward(input);
        layer.Backward(gradOutput);
        float[] once = (float[])layer.Weight.Grad.Data.Clone(), onceBias = (float[])layer.Bias!.Grad.Data.Clone();
        layer.Backward(gradOutput);
        TensorAssert.Close(Array.ConvertAll(once, g => 2 * g), layer.Weight.Grad.Data, 1e-6, 1e-7, "gradWeight twice");
        TensorAssert.Close(Array.ConvertAll(onceBias, g => 2 * g), layer.Bias.Grad.Data, 1e-6, 1e-7, "gradBias twice");
    }

    [Theory]
    [InlineData(new[] { 3, 7 }, 5, true)]
    [InlineData(new[] { 1, 6 }, 1, true)]
    [InlineData(new[] { 2, 2, 5 }, 4, false)]
    public void Gradient_check(int[] inputDims, int outFeatures, bool bias)
    {
        var layer = new Linear(inputDims[^1], outFeatures, bias, new RandomSource(9));
        GradientAssert.Layer(layer, Tensor.RandomNormal(new Shape(inputDims), 10));
    }

    [Fact]
    public void Initialisation_is_PyTorchs_uniform_bound_and_reproducible()
    {
        var layer = new Linear(100, 200, random: new RandomSource(1));
        float bound = 1f / MathF.Sqrt(100);
        Assert.Equal(new Shape(200, 100), layer.Weight.Shape);
        Assert.Equal(new Shape(200), layer.Bias!.Shape);
        Assert.All(layer.Weight.Value.Data, w => Assert.InRange(w, -bound, bound));
        Assert.All(layer.Bias.Value.Data, b => Assert.InRange(b, -bound, bound));
        // U(−b, b) over 20 000 draws: the extremes approach the bound and the variance is b²/3.
        Assert.True(layer.Weight.Value.Data.Max() > 0.99f * bound && layer.Weight.Value.Data.Min() < -0.99f * bound);
        double variance = layer.Weight.Value.Data.Average(w => (double)w * w);
        Assert.InRange(variance, 0.95 * bound * bound / 3, 1.05 * bound * bound / 3);
        Assert.Equal(layer.Weight.Value.Data, new Linear(100, 200, random: new RandomSource(1)).Weight.Value.Data);
        Assert.NotEqual(layer.Weight.Value.Data, new Linear(100, 200, random: new RandomSource(2)).Weight.Value.Data);
    }

    [Fact]
    public void Parameters_are_named_like_a_PyTorch_state_dict()
    {
        Assert.Equal(["weight", "bias"], new Linear(2, 3).NamedParameters().Select(p => p.Name));
        Assert.Equal(["weight"], new Linear(2, 3, bias: false).NamedParameters().Select(p => p.Name));
        Assert.Null(new Linear(2, 3, bias: false).Bias);
    }

    [Fact]
    public void Feature_mismatch_names_the_expected_and_actual_shapes()
    {
        var layer = new Linear(3136, 10);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(64, 3000)));
        Assert.Contains("Linear(inFeatures: 3136) expected input [*, 3136] but got [64, 3000]", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => layer.OutputShape(new Shape()));
        Assert.Contains("expected input [*, 3136] but got []", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 3, "inFeatures must be positive but got 0")]
    [InlineData(4, -2, "outFeatures must be positive but got -2")]
    public void Sizes_must_be_positive(int inFeatures, int outFeatures, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Linear(inFeatures, outFeatures));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_checks_its_cache_and_the_gradient_shape()
    {
        var layer = new Linear(4, 3);
        Assert.Contains("Linear.Backward needs a preceding Forward", Assert.Throws<InvalidOperationException>(() => layer.Backward(Tensor.Zeros(2, 3))).Message, StringComparison.Ordinal);
        layer.Forward(Tensor.Zeros(2, 4));
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(Tensor.Zeros(2, 4)));
        Assert.Contains("expected gradOutput [2, 3] but got [2, 4]", ex.Message, StringComparison.Ordinal);
    }
}

[Collection(GlobalRandomSerial.Name)]
public class LinearGlobalRandomTests
{
    [Fact]
    public void Without_a_generator_the_global_one_is_used()
    {
        RandomSource.ManualSeed(77);
        var fromGlobal = new Linear(5, 4);
        var explicitly = new Linear(5, 4, random: new RandomSource(77));
        Assert.Equal(explicitly.Weight.Value.Data, fromGlobal.Weight.Value.Data);
        Assert.Equal(explicitly.Bias!.Value.Data, fromGlobal.Bias!.Value.Data);
    }
}
