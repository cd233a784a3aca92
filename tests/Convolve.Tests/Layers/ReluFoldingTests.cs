using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

/// <summary>
/// A <see cref="Sequential"/> runs BatchNorm or a convolution followed by ReLU as one layer (the
/// normalisation writes the rectified output, the convolution rectifies each image as it writes it,
/// and their backward passes gate the gradient); the numbers must be exactly those of the two layers
/// run one after the other, in training and in evaluation mode, with every convolution algorithm.
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
        ReLU relu = StandaloneRelu(training);

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

    [Theory]
    [InlineData(ConvolutionAlgorithm.Im2Col, true, 3, 5, 40, 3, 1, 9, 11)]
    [InlineData(ConvolutionAlgorithm.Direct, true, 3, 5, 40, 3, 1, 9, 11)]
    [InlineData(ConvolutionAlgorithm.Direct, false, 2, 33, 20, 3, 2, 10, 7)]
    [InlineData(ConvolutionAlgorithm.Winograd, true, 2, 18, 24, 3, 1, 13, 12)]
    [InlineData(ConvolutionAlgorithm.Winograd, false, 1, 4, 6, 3, 1, 8, 8)]
    [InlineData(ConvolutionAlgorithm.Auto, true, 4, 1, 32, 5, 1, 12, 12)]
    public void Convolution_then_ReLU_in_a_Sequential_is_bit_identical_to_the_two_layers(
        ConvolutionAlgorithm algorithm, bool training, int n, int inChannels, int outChannels, int kernel, int stride, int h, int w)
    {
        var input = Tensor.RandomNormal(new Shape(n, inChannels, h, w), 21);
        (Conv2d folded, Sequential chain) = BuildConvolution(algorithm, inChannels, outChannels, kernel, stride, training);
        (Conv2d alone, _) = BuildConvolution(algorithm, inChannels, outChannels, kernel, stride, training);
        ReLU relu = StandaloneRelu(training);

        Tensor expected = relu.Forward(alone.Forward(input));
        Tensor actual = chain.Forward(input);
        TensorAssert.Identical(expected.Data, actual.Data, "output");
        Assert.Contains(actual.Data, value => value == 0f);
        Assert.Contains(actual.Data, value => value > 0f);

        var gradOutput = Tensor.RandomNormal(expected.Shape, 22);
        float[] gradOutputBefore = (float[])gradOutput.Data.Clone();
        Tensor expectedGrad = alone.Backward(relu.Backward(gradOutput));
        Tensor actualGrad = chain.Backward(gradOutput);
        TensorAssert.Identical(expectedGrad.Data, actualGrad.Data, "gradInput");
        TensorAssert.Identical(alone.Weight.Grad.Data, folded.Weight.Grad.Data, "gradWeight");
        TensorAssert.Identical(alone.Bias!.Grad.Data, folded.Bias!.Grad.Data, "gradBias");
        // The gradient is gated into a buffer of its own: the caller's gradient is left as it was.
        TensorAssert.Identical(gradOutputBefore, gradOutput.Data, "gradOutput after backward");
        // The fold took place: the chain never ran its ReLU layer, which therefore has nothing cached.
        Assert.Throws<InvalidOperationException>(() => chain[1].Backward(gradOutput));

        // As a first layer (no input gradient), the parameter gradients are gated the same way.
        folded.ZeroGrad();
        alone.ZeroGrad();
        chain.Forward(input);
        chain.BackwardParametersOnly(gradOutput);
        alone.Forward(input);
        alone.BackwardParametersOnly(relu.Backward(gradOutput));
        TensorAssert.Identical(alone.Weight.Grad.Data, folded.Weight.Grad.Data, "gradWeight, parameters only");
        TensorAssert.Identical(alone.Bias!.Grad.Data, folded.Bias!.Grad.Data, "gradBias, parameters only");

        // A forward without the fold (the layer on its own) no longer gates its backward pass.
        Tensor plain = folded.Forward(input);
        TensorAssert.Identical(alone.Forward(input).Data, plain.Data, "unfolded output");
        TensorAssert.Identical(alone.Backward(gradOutput).Data, folded.Backward(gradOutput).Data, "unfolded gradInput");
    }

    private static ReLU StandaloneRelu(bool training)
    {
        var relu = new ReLU();
        relu.SetTraining(training);
        return relu;
    }

    private static (Conv2d Convolution, Sequential Chain) BuildConvolution(
        ConvolutionAlgorithm algorithm, int inChannels, int outChannels, int kernel, int stride, bool training)
    {
        var convolution = new Conv2d(inChannels, outChannels, kernel, stride, padding: 1, random: new RandomSource(23)) { Algorithm = algorithm };
        var chain = new Sequential(convolution, new ReLU());
        if (!training)
        {
            chain.Eval();
        }
        return (convolution, chain);
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
