using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

/// <summary>
/// A first layer's input gradient is never consumed, so <see cref="Layer.BackwardParametersOnly"/>
/// skips it; the parameter gradients must be bit-identical to a full <see cref="Layer.Backward"/>.
/// </summary>
public class BackwardParametersOnlyTests
{
    public static TheoryData<string> Models() => ["conv", "linear", "chain"];

    private static (Layer Model, Shape Input) Build(string kind, ulong seed) => kind switch
    {
        "conv" => (new Conv2d(3, 4, 3, padding: 1, random: new RandomSource(seed)), new Shape(2, 3, 6, 5)),
        "linear" => (new Linear(7, 5, random: new RandomSource(seed)), new Shape(3, 7)),
        _ => (new Sequential(
                new Conv2d(1, 4, 3, random: new RandomSource(seed)), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64, 3, random: new RandomSource(seed + 1))), new Shape(2, 1, 10, 10)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Parameter_gradients_equal_those_of_a_full_backward(string kind)
    {
        var (full, inputShape) = Build(kind, 5);
        var (lean, _) = Build(kind, 5);
        var input = Tensor.RandomNormal(inputShape, 6);
        var gradOutput = Tensor.RandomNormal(full.OutputShape(inputShape), 7);

        full.Forward(input);
        full.Backward(gradOutput);
        lean.Forward(input);
        lean.BackwardParametersOnly(gradOutput);

        var expected = full.NamedParameters().ToList();
        var actual = lean.NamedParameters().ToList();
        Assert.Equal(expected.Select(p => p.Name), actual.Select(p => p.Name));
        Assert.True(expected.Any(p => p.Parameter.Grad.Data.Any(g => g != 0)), "the gradients under test are all zero");
        for (int i = 0; i < expected.Count; i++)
        {
            TensorAssert.Identical(expected[i].Parameter.Grad.Data, actual[i].Parameter.Grad.Data, expected[i].Name);
        }
    }
}
