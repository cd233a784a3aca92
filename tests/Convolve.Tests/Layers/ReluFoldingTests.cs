using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

/// <summary>
/// A <see cref="Sequential"/> runs BatchNorm followed by ReLU as one pass (the normalisation writes
/// the rectified output and its backward pass gates the gradient); the numbers must be exactly those
/// of the two layers run one after the other, in training and in evaluation mode.
/// </summary>
public class ReluFoldingTests
{
    [Theory]
    [InlineData(true, 4, 3, 5, 7)]
    [InlineData(true, 2, 20, 1, 33)]
    [InlineData(false, 3, 17, 6, 6)]
    public void BatchNorm_then_ReLU_in_a_Sequential_is_bit_identical_to_the_two_layers(bool training, int n, int c, int h, int w)
    {
        var input = Tensor.RandomNormal(new Shape(n, c, h, w), 11);
        var gradOutput = Tensor.RandomNormal(input.Shape, 12);
        (BatchNorm2d folded, Sequential chain) = Build(c, training);
        (BatchNorm2d alone, _) = Build(c, training);
        var relu = new ReLU();
        if (!training)
        {
            relu.Eval();
        }

        Tensor expected = relu.Forward(alone.Forward(input));
        Tensor actual = chain.Forward(input);
        TensorAssert.Identical(expected.Data, actual.Data, "output");
        Tensor expectedGrad = alone.Backward(relu.Backward(gradOutput));
        Tensor actualGrad = chain.Backward(gradOutput);
        TensorAssert.Identical(expectedGrad.Data, actualGrad.Data, "gradInput");
        TensorAssert.Identical(alone.Weight!.Grad.Data, folded.Weight!.Grad.Data, "gradWeight");
        TensorAssert.Identical(alone.Bias!.Grad.Data, folded.Bias!.Grad.Data, "gradBias");
        TensorAssert.Identical(alone.RunningVar!.Data, folded.RunningVar!.Data, "running_var");
        Assert.Contains(actual.Data, value => value == 0f);
        // The fold took place: the chain never ran its ReLU layer, which therefore has nothing cached.
        Assert.Throws<InvalidOperationException>(() => chain[1].Backward(gradOutput));
    }

    private static (BatchNorm2d Normalization, Sequential Chain) Build(int channels, bool training)
    {
        var normalization = new BatchNorm2d(channels);
        Tensor.RandomNormal(new Shape(channels), 13).Data.CopyTo(normalization.Weight!.Value.Data, 0);
        Tensor.RandomNormal(new Shape(channels), 14).Data.CopyTo(normalization.Bias!.Value.Data, 0);
        Tensor.RandomUniform(new Shape(channels), 15, 0.5f, 2f).Data.CopyTo(normalization.RunningVar!.Data, 0);
        var chain = new Sequential(normalization, new ReLU());
        if (!training)
        {
            chain.Eval();
        }
        return (normalization, chain);
    }
}
