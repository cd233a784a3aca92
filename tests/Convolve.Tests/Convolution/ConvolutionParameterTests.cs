using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Convolution;

/// <summary>Parameter layouts, names and PyTorch's default initialisation bound 1/√fan_in.</summary>
public class ConvolutionParameterTests
{
    [Fact]
    public void Weights_have_PyTorch_layouts_and_names()
    {
        var conv = new Conv3d(6, 4, (1, 2, 3), groups: 2, random: new RandomSource(1));
        Assert.Equal(new Shape(4, 3, 1, 2, 3), conv.Weight.Shape);
        Assert.Equal(new Shape(4), conv.Bias!.Shape);
        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Name));

        var transposed = new ConvTranspose1d(6, 4, 5, groups: 2, bias: false, random: new RandomSource(1));
        Assert.Equal(new Shape(6, 2, 5), transposed.Weight.Shape);
        Assert.Null(transposed.Bias);
        Assert.Equal(["weight"], transposed.NamedParameters().Select(p => p.Name));
        Assert.Equal((6, 4, 2), (transposed.InChannels, transposed.OutChannels, transposed.Groups));
    }

    /// <summary>
    /// fan_in is weight dim 1 times the kernel volume: (C_in/groups)·K for convolution and
    /// (C_out/groups)·K for transposed convolution. With 16 input and 2 output channels the two
    /// bounds differ by a factor of √8, so the largest drawn value tells which one was used.
    /// </summary>
    [Theory]
    [InlineData(false, 16 * 9)]
    [InlineData(true, 2 * 9)]
    public void Initial_values_are_uniform_within_one_over_root_fan_in(bool transposed, int fanIn)
    {
        ConvolutionBase layer = transposed
            ? new ConvTranspose2d(16, 2, 3, random: new RandomSource(3))
            : new Conv2d(16, 2, 3, random: new RandomSource(3));
        double bound = 1 / Math.Sqrt(fanIn);
        float[] weight = layer.Weight.Value.Data;
        Assert.All(weight, w => Assert.InRange(Math.Abs(w), 0, bound));
        Assert.InRange(weight.Max(w => Math.Abs(w)), 0.95 * bound, bound);
        Assert.InRange(weight.Average(), -0.1 * bound, 0.1 * bound);
        Assert.All(layer.Bias!.Value.Data, b => Assert.InRange(Math.Abs(b), 0, bound));
        Assert.Contains(layer.Bias.Value.Data, b => b != 0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_parameters()
    {
        var a = new Conv2d(3, 4, 3, random: new RandomSource(9));
        var b = new Conv2d(3, 4, 3, random: new RandomSource(9));
        var c = new Conv2d(3, 4, 3, random: new RandomSource(10));
        Assert.Equal(a.Weight.Value.Data, b.Weight.Value.Data);
        Assert.Equal(a.Bias!.Value.Data, b.Bias!.Value.Data);
        Assert.NotEqual(a.Weight.Value.Data, c.Weight.Value.Data);
    }
}
