using Convolve.Diagnostics;
using Convolve.Losses;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Dense;

public class MseLossTests
{
    [Theory]
    [InlineData(new[] { 1 }, Reduction.Mean)]
    [InlineData(new[] { 3, 4 }, Reduction.Mean)]
    [InlineData(new[] { 2, 3, 5 }, Reduction.Sum)]
    [InlineData(new[] { 17 }, Reduction.Sum)]
    public void Loss_and_gradient_match_reference(int[] dims, Reduction reduction)
    {
        var input = Tensor.RandomNormal(new Shape(dims), 1);
        var target = Tensor.RandomNormal(new Shape(dims), 2);
        var loss = new MseLoss(reduction);
        double actual = loss.Forward(input, target);
        var (expected, expectedGrad) = ReferenceOps.MeanSquaredError(input.Data, target.Data, reduction == Reduction.Mean);
        Assert.Equal(expected, actual, 1e-12 * Math.Max(1, expected));
        TensorAssert.Close(expectedGrad, loss.Backward().Data, 1e-6, 1e-8, "∂loss/∂input");
    }

    [Fact]
    public void Hand_derived_values()
    {
        // Differences (0, 2, 3): squares sum to 13; the gradient is 2·difference (÷ 3 for the mean).
        var input = Tensor.FromArray([1f, 2f, 3f], 3);
        var target = Tensor.FromArray([1f, 0f, 0f], 3);
        var mean = new MseLoss();
        Assert.Equal(13.0 / 3, mean.Forward(input, target), 1e-15);
        TensorAssert.Close([0.0, 4.0 / 3, 2.0], mean.Backward().Data, 1e-7, 0, "mean gradient");
        var sum = new MseLoss(Reduction.Sum);
        Assert.Equal(13.0, sum.Forward(input, target));
        Assert.Equal([0f, 4f, 6f], sum.Backward().Data);
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void Gradient_check(Reduction reduction)
    {
        var input = Tensor.RandomNormal(new Shape(3, 4), 5);
        var target = Tensor.RandomNormal(new Shape(3, 4), 6);
        var loss = new MseLoss(reduction);
        loss.Forward(input, target);
        var report = GradientCheck.CheckFunction("input", input, loss.Backward(), () => loss.Forward(input, target));
        GradientAssert.AssertReport(report, $"MSE {reduction}");
    }

    [Fact]
    public void Shape_mismatch_names_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("input [2, 3] and target [3, 2] must have the same shape", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_input_has_no_mean_but_sums_to_zero()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros(0, 4), Tensor.Zeros(0, 4)));
        Assert.Contains("input [0, 4] is empty, so its mean is undefined", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0.0, new MseLoss(Reduction.Sum).Forward(Tensor.Zeros(0, 4), Tensor.Zeros(0, 4)));
    }

    [Fact]
    public void Unknown_reduction_and_backward_before_forward_are_refused()
    {
        Assert.Contains("reduction must be Mean or Sum but got -1", Assert.Throws<ArgumentException>(() => new MseLoss((Reduction)(-1))).Message, StringComparison.Ordinal);
        Assert.Contains("MseLoss.Backward needs a preceding Forward", Assert.Throws<InvalidOperationException>(() => new MseLoss().Backward()).Message, StringComparison.Ordinal);
    }
}
