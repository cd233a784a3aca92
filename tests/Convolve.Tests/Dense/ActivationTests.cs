using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Dense;

/// <summary>The activation layers at the start-up width: reference values, gradients, PyTorch's conventions and validation.</summary>
public class ActivationTests
{
    public static TheoryData<string> Names => new() { "ReLU", "LeakyReLU", "Sigmoid", "Tanh" };

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_and_backward_match_reference(string name)
    {
        Activation layer = Create(name);
        var input = Tensor.RandomNormal(new Shape(3, 5, 7), 11, 0f, 3f);
        var gradOutput = Tensor.RandomNormal(input.Shape, 12);
        Tensor output = layer.Forward(input);
        Tensor gradInput = layer.Backward(gradOutput);

        var (forward, backward) = Reference(name);
        double[] expected = ReferenceOps.Map(input.Data, forward);
        TensorAssert.Close(expected, output.Data, 1.2e-7, 1e-45, $"{name} forward");
        float[] saved = name == "LeakyReLU" ? input.Data : output.Data;
        TensorAssert.Close(ReferenceOps.Map(gradOutput.Data, saved, backward), gradInput.Data, 5e-7, 5e-7, $"{name} backward");
        Assert.Equal(input.Shape, output.Shape);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_check_away_from_kinks(string name)
    {
        // |x| ≥ 0.2 keeps every ε = 1e-2 perturbation on one side of the ReLU kink at 0.
        var input = Tensor.RandomNormal(new Shape(4, 9), 21);
        for (int i = 0; i < input.Size; i++)
        {
            input.Data[i] = MathF.CopySign(0.2f + MathF.Abs(input.Data[i]), input.Data[i]);
        }
        GradientAssert.Layer(Create(name), input);
    }

    [Fact]
    public void LeakyReLU_with_a_negative_slope_passes_the_gradient_check()
    {
        var input = Tensor.RandomNormal(new Shape(2, 3, 5), 31);
        for (int i = 0; i < input.Size; i++)
        {
            input.Data[i] = MathF.CopySign(0.2f + MathF.Abs(input.Data[i]), input.Data[i]);
        }
        GradientAssert.Layer(new LeakyReLU(-0.5f), input);
    }

    [Fact]
    public void Derivative_at_zero_is_zero_for_ReLU_and_the_slope_for_LeakyReLU()
    {
        var relu = new ReLU();
        relu.Forward(Tensor.FromArray([0f, -0f], 2));
        Assert.Equal([0f, 0f], relu.Backward(Tensor.FromArray([3f, 3f], 2)).Data);
        var leaky = new LeakyReLU(0.1f);
        leaky.Forward(Tensor.FromArray([0f], 1));
        Assert.Equal(0.3f, leaky.Backward(Tensor.FromArray([3f], 1)).Data[0], 1e-7f);
    }

    [Fact]
    public void Sigmoid_and_tanh_are_finite_and_saturate_for_huge_inputs()
    {
        float[] huge = [-1e4f, -100f, 100f, 1e4f];
        Tensor sigmoid = new Sigmoid().Forward(Tensor.FromArray((float[])huge.Clone(), 4));
        Assert.Equal(0f, sigmoid.Data[0]);
        Assert.Equal(3.72007598e-44, sigmoid.Data[1], 1e-45);
        Assert.Equal(1f, sigmoid.Data[2]);
        Assert.Equal(1f, sigmoid.Data[3]);
        Tensor tanh = new Tanh().Forward(Tensor.FromArray((float[])huge.Clone(), 4));
        Assert.Equal([-1f, -1f, 1f, 1f], tanh.Data);
    }

    [Fact]
    public void Eval_mode_backward_equals_training_mode_backward_and_backward_first_explains()
    {
        var input = Tensor.RandomNormal(new Shape(3, 5), 4);
        var gradOutput = Tensor.RandomNormal(new Shape(3, 5), 5);
        var layer = new Tanh();
        float[] training = layer.Backward(GradAfter(layer, input, gradOutput)).Data;
        layer.Eval();
        Assert.Equal(training, layer.Backward(GradAfter(layer, input, gradOutput)).Data);
        var ex = Assert.Throws<InvalidOperationException>(() => new ReLU().Backward(Tensor.Zeros(2, 2)));
        Assert.Contains("ReLU.Backward needs a preceding Forward", ex.Message, StringComparison.Ordinal);
    }

    private static Tensor GradAfter(Layer layer, Tensor input, Tensor gradOutput)
    {
        layer.Forward(input);
        return gradOutput;
    }

    [Fact]
    public void Gradient_of_the_wrong_shape_is_refused_with_both_shapes()
    {
        var layer = new Sigmoid();
        layer.Forward(Tensor.Zeros(2, 3));
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(Tensor.Zeros(3, 2)));
        Assert.Contains("Sigmoid.Backward expected gradOutput [2, 3] but got [3, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void LeakyReLU_refuses_a_non_finite_slope(float slope)
    {
        var ex = Assert.Throws<ArgumentException>(() => new LeakyReLU(slope));
        Assert.Contains($"negativeSlope must be finite but got {slope}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeakyReLU_default_slope_is_PyTorchs()
    {
        Assert.Equal(0.01f, new LeakyReLU().NegativeSlope);
    }

    private static Activation Create(string name) => name switch
    {
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU(0.1f),
        "Sigmoid" => new Sigmoid(),
        _ => new Tanh(),
    };

    private static (Func<double, double> Forward, Func<double, double, double> Backward) Reference(string name) => name switch
    {
        "ReLU" => (ReferenceOps.Relu, ReferenceOps.ReluBackward),
        "LeakyReLU" => (x => ReferenceOps.LeakyRelu(x, 0.1f), (g, x) => ReferenceOps.LeakyReluBackward(g, x, 0.1f)),
        "Sigmoid" => (ReferenceOps.Sigmoid, ReferenceOps.SigmoidBackward),
        _ => (ReferenceOps.Tanh, ReferenceOps.TanhBackward),
    };
}
