using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>
/// The fully connected layer is a convolution whose kernel spans the whole input: with the
/// Linear weight [out, C·H·W] reshaped to a kernel [out, C, H, W], the convolution has one output
/// position per channel, and forward and every gradient must agree.
/// </summary>
public class LinearAsConvolutionTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1)]
    [InlineData(2, 3, 4, 5, 7)]
    [InlineData(3, 16, 7, 7, 10)]
    [InlineData(1, 5, 1, 9, 3)]
    public void Linear_equals_a_convolution_whose_kernel_covers_the_input(int batch, int channels, int height, int width, int outFeatures)
    {
        int features = channels * height * width;
        var linear = new Linear(features, outFeatures, random: new RandomSource(1));
        var conv = new Conv2d(channels, outFeatures, (height, width), random: new RandomSource(2));
        conv.Weight.Load(linear.Weight.Value.Data);
        conv.Bias!.Load(linear.Bias!.Value.Data);

        var input = Tensor.RandomNormal(new Shape(batch, channels, height, width), 3);
        Tensor convOutput = conv.Forward(input);
        Tensor linearOutput = linear.Forward(input.Reshape(batch, features));
        Assert.Equal(new Shape(batch, outFeatures, 1, 1), convOutput.Shape);
        TensorAssert.Close(linearOutput.Data, convOutput.Data, 1e-5, 1e-5, "output");

        var gradOutput = Tensor.RandomNormal(new Shape(batch, outFeatures), 4);
        Tensor convGradInput = conv.Backward(gradOutput.Reshape(batch, outFeatures, 1, 1));
        Tensor linearGradInput = linear.Backward(gradOutput);
        TensorAssert.Close(linearGradInput.Data, convGradInput.Data, 1e-5, 1e-5, "gradInput");
        TensorAssert.Close(linear.Weight.Grad.Data, conv.Weight.Grad.Data, 1e-5, 1e-5, "gradWeight");
        TensorAssert.Close(linear.Bias.Grad.Data, conv.Bias.Grad.Data, 1e-5, 1e-5, "gradBias");
    }
}
