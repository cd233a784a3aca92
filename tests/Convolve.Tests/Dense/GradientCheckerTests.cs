using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using Xunit.Sdk;

namespace Convolve.Tests.Dense;

/// <summary>The gradient checker must reject a wrong backward, or every gradient check above could pass vacuously.</summary>
public class GradientCheckerTests
{
    [Fact]
    public void A_backward_that_doubles_the_gradient_fails_the_check()
    {
        var input = Tensor.RandomNormal(new Shape(3, 4), 1);
        var report = GradientCheck.CheckLayer(new Square(gradientFactor: 2f), input);
        int failures = report.Failures(GradientAssert.Relative, GradientAssert.Absolute).Count();
        Assert.True(failures > input.Size / 2, $"only {failures} of {input.Size} elements were flagged");
        Assert.ThrowsAny<XunitException>(() => GradientAssert.Layer(new Square(gradientFactor: 2f), input));
    }

    [Fact]
    public void The_same_layer_with_the_true_gradient_passes()
    {
        GradientAssert.Layer(new Square(gradientFactor: 1f), Tensor.RandomNormal(new Shape(3, 4), 1));
    }

    /// <summary><c>y = x²</c>, whose backward returns <c>gradientFactor · 2x · gradOutput</c>.</summary>
    private sealed class Square(float gradientFactor) : Layer
    {
        private Tensor? input;

        public override Shape OutputShape(Shape inputShape) => inputShape;

        public override Tensor Forward(Tensor input)
        {
            this.input = input;
            var output = new Tensor(input.Shape);
            for (int i = 0; i < input.Size; i++)
            {
                output.Data[i] = input.Data[i] * input.Data[i];
            }
            return output;
        }

        public override Tensor Backward(Tensor gradOutput)
        {
            Tensor x = RequireCached(input);
            var gradInput = new Tensor(x.Shape);
            for (int i = 0; i < x.Size; i++)
            {
                gradInput.Data[i] = gradientFactor * 2 * x.Data[i] * gradOutput.Data[i];
            }
            return gradInput;
        }
    }
}
