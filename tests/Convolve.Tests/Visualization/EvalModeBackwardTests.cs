using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Visualization;

/// <summary>
/// Every layer but the convolutions differentiates after an evaluation-mode forward, as in PyTorch:
/// the gradient of the evaluation-mode function (checked by central differences), and for layers
/// that compute the same function in both modes, bit for bit the training-mode gradient.
/// </summary>
public class EvalModeBackwardTests
{
    public static TheoryData<string> LayerNames => new(Factories.Keys);

    private static readonly Dictionary<string, (Func<Layer> Create, int[] Input)> Factories = new()
    {
        ["ReLU"] = (() => new ReLU(), [2, 3, 4, 4]),
        ["LeakyReLU"] = (() => new LeakyReLU(0.1f), [2, 3, 4, 4]),
        ["Sigmoid"] = (() => new Sigmoid(), [2, 7]),
        ["Tanh"] = (() => new Tanh(), [2, 7]),
        ["MaxPool2d"] = (() => new MaxPool2d(2), [2, 2, 4, 6]),
        ["MaxPool1d"] = (() => new MaxPool1d(3, stride: 2, padding: 1), [2, 2, 9]),
        ["AvgPool2d"] = (() => new AvgPool2d(3, stride: 2, padding: 1), [2, 2, 5, 5]),
        ["LPPool2d"] = (() => new LPPool2d(2, 2), [2, 2, 4, 4]),
        ["AdaptiveAvgPool2d"] = (() => new AdaptiveAvgPool2d(3), [2, 2, 7, 5]),
        ["Flatten"] = (() => new Flatten(), [2, 3, 2, 2]),
        ["Linear"] = (() => new Linear(6, 4, random: new RandomSource(3)), [5, 6]),
        ["Dropout"] = (() => new Dropout(0.5f, new RandomSource(2)), [3, 8]),
        ["BatchNorm2d"] = (() => new BatchNorm2d(2), [3, 2, 3, 3]),
        ["Residual"] = (() => new Residual(new Sequential(new Linear(5, 5, random: new RandomSource(4)), new Tanh())), [3, 5]),
        ["Sequential"] = (() => new Sequential(new Flatten(), new Linear(8, 3, random: new RandomSource(5)), new ReLU()), [2, 2, 2, 2]),
    };

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Eval_mode_backward_is_the_gradient_of_the_eval_mode_forward(string name)
    {
        var (create, shape) = Factories[name];
        Layer layer = create();
        layer.Eval();
        // Distinct values 0.05 apart keep the ±0.01 steps away from every kink and argmax tie.
        GradientAssert.Layer(layer, Distinct(shape));
    }

    [Theory]
    [InlineData("ReLU")]
    [InlineData("LeakyReLU")]
    [InlineData("Tanh")]
    [InlineData("MaxPool2d")]
    [InlineData("AvgPool2d")]
    [InlineData("LPPool2d")]
    [InlineData("AdaptiveAvgPool2d")]
    [InlineData("Linear")]
    [InlineData("Sequential")]
    public void A_layer_without_modes_gives_the_same_gradient_in_both(string name)
    {
        var (create, shape) = Factories[name];
        Layer layer = create();
        Tensor input = Distinct(shape);
        Tensor gradOutput = Tensor.RandomNormal(layer.OutputShape(input.Shape), 8);
        layer.Forward(input);
        float[] training = layer.Backward(gradOutput).Data;
        layer.Eval();
        layer.Forward(input);
        Assert.Equal(training, layer.Backward(gradOutput).Data);
    }

    [Fact]
    public void A_frozen_network_gives_its_input_gradient_after_an_eval_forward()
    {
        var model = new Sequential(new MaxPool2d(2), new Flatten(), new Linear(8, 4, random: new RandomSource(6)), new ReLU(),
            new Dropout(0.5f, new RandomSource(7)), new Linear(4, 3, random: new RandomSource(8)));
        model.Eval();
        GradientAssert.Layer(model, Distinct([1, 2, 4, 4]));
    }

    /// <summary>A shuffled ramp: every value distinct, at least 0.05 apart, centred on zero.</summary>
    internal static Tensor Distinct(int[] shape)
    {
        var tensor = new Tensor(new Shape(shape));
        var random = new RandomSource(11);
        int n = tensor.Size;
        for (int i = 0; i < n; i++)
        {
            tensor.Data[i] = 0.05f * (i - n / 2) + 0.013f;
        }
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (tensor.Data[i], tensor.Data[j]) = (tensor.Data[j], tensor.Data[i]);
        }
        return tensor;
    }
}
