using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>The published worked example, asserted exactly: every value is an integer small enough for float32.</summary>
public class WorkedExampleTests
{
    /// <summary>The worked example of a (1, 3, 4, 4) input and a (2, 3, 2, 2) kernel with bias [1, 2], stride 1.</summary>
    [Fact]
    public void Worked_example_gives_the_published_output()
    {
        float[] input =
        [
            1, 6, 6, 2, 4, 3, 4, 3, 3, 6, 7, 7, 1, 5, 1, 2,
            9, 1, 6, 7, 5, 3, 2, 6, 5, 7, 1, 7, 6, 8, 5, 8,
            8, 6, 9, 5, 4, 6, 1, 6, 2, 3, 3, 8, 3, 5, 3, 6,
        ];
        float[] weight = [5, 9, 5, 8, 1, 1, 8, 8, 7, 1, 2, 8, 5, 6, 9, 3, 2, 1, 9, 1, 8, 4, 3, 6];
        var layer = new Conv2d(3, 2, 2, random: new RandomSource(0));
        layer.Weight.Load(weight);
        layer.Bias!.Load([1, 2]);
        Tensor output = layer.Forward(Tensor.FromArray(input, 1, 3, 4, 4));
        float[] expected = [296, 250, 288, 277, 280, 294, 302, 297, 315, 291, 252, 263, 230, 267, 239, 223, 283, 257];
        Assert.Equal(new Shape(1, 2, 3, 3), output.Shape);
        TensorAssert.Identical(expected, output.Data, "z");
    }
}
