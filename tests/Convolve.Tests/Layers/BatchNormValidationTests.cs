using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Layers;

public class BatchNormValidationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Number_of_features_must_be_positive(int numFeatures)
    {
        AssertMessage(() => new BatchNorm1d(numFeatures), "BatchNorm1d", "numFeatures must be positive", $"got {numFeatures}");
        AssertMessage(() => new BatchNorm2d(numFeatures), "BatchNorm2d", "numFeatures must be positive", $"got {numFeatures}");
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-1e-5, "-1E-05")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Eps_must_be_positive_and_finite(double eps, string shown)
    {
        AssertMessage(() => new BatchNorm2d(3, eps: eps), "eps must be positive and finite", $"got {shown}");
    }

    [Theory]
    [InlineData(-0.1, "-0.1")]
    [InlineData(1.5, "1.5")]
    [InlineData(double.NaN, "NaN")]
    public void Momentum_must_lie_in_zero_to_one(double momentum, string shown)
    {
        AssertMessage(() => new BatchNorm1d(3, momentum: momentum), "momentum must be in [0, 1]", $"got {shown}");
    }

    [Fact]
    public void Momentum_zero_and_one_are_allowed()
    {
        Assert.Equal(0.0, new BatchNorm1d(2, momentum: 0).Momentum);
        Assert.Equal(1.0, new BatchNorm2d(2, momentum: 1).Momentum);
    }

    [Theory]
    [InlineData(new[] { 6 })]
    [InlineData(new[] { 2, 3, 4, 5 })]
    public void BatchNorm1d_accepts_only_rank_2_or_3(int[] shape)
    {
        var layer = new BatchNorm1d(3);
        AssertMessage(() => layer.Forward(new Tensor(new Shape(shape))), "BatchNorm1d", "numFeatures is 3", "[N, 3] or [N, 3, L]", $"got {Shape.Format(shape)}");
        AssertMessage(() => layer.OutputShape(new Shape(shape)), "[N, 3] or [N, 3, L]", $"got {Shape.Format(shape)}");
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 })]
    [InlineData(new[] { 2, 3, 4, 5, 6 })]
    public void BatchNorm2d_accepts_only_rank_4(int[] shape)
    {
        AssertMessage(() => new BatchNorm2d(3).Forward(new Tensor(new Shape(shape))), "BatchNorm2d", "[N, 3, H, W]", $"got {Shape.Format(shape)}");
    }

    [Fact]
    public void Channel_count_must_equal_numFeatures()
    {
        AssertMessage(() => new BatchNorm2d(3).Forward(Tensor.Zeros(8, 4, 5, 5)), "numFeatures is 3", "[N, 3, H, W]", "got [8, 4, 5, 5]");
        AssertMessage(() => new BatchNorm1d(5).Forward(Tensor.Zeros(8, 4)), "numFeatures is 5", "[N, 5] or [N, 5, L]", "got [8, 4]");
        AssertMessage(() => new BatchNorm1d(5).Forward(Tensor.Zeros(8, 4, 2)), "numFeatures is 5", "got [8, 4, 2]");
    }

    [Theory]
    [InlineData(new[] { 1, 3 })]
    [InlineData(new[] { 1, 3, 1 })]
    [InlineData(new[] { 1, 3, 1, 1 })]
    public void Training_needs_more_than_one_value_per_channel(int[] shape)
    {
        var layer = shape.Length == 4 ? (BatchNorm)new BatchNorm2d(3) : new BatchNorm1d(3);
        AssertMessage(() => layer.Forward(new Tensor(new Shape(shape))), "expected more than 1 value per channel when training", $"got input {Shape.Format(shape)}");
        Assert.Equal([0f], layer.NumBatchesTracked!.Data);

        var untracked = shape.Length == 4 ? (BatchNorm)new BatchNorm2d(3, trackRunningStats: false) : new BatchNorm1d(3, trackRunningStats: false);
        untracked.Eval();
        AssertMessage(() => untracked.Forward(new Tensor(new Shape(shape))), "more than 1 value per channel", "batch statistics", $"got input {Shape.Format(shape)}");

        layer.Eval();
        Assert.Equal(new Shape(shape), layer.Forward(new Tensor(new Shape(shape))).Shape);
    }

    [Fact]
    public void Backward_needs_a_preceding_forward()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new BatchNorm1d(3).Backward(Tensor.Zeros(4, 3)));
        Assert.Contains("BatchNorm1d.Backward needs a preceding Forward", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_needs_a_gradient_of_the_output_shape()
    {
        var layer = new BatchNorm2d(3);
        layer.Forward(Tensor.Zeros(2, 3, 4, 4));
        AssertMessage(() => layer.Backward(Tensor.Zeros(2, 3, 4, 5)), "expected gradOutput [2, 3, 4, 4]", "got [2, 3, 4, 5]");
    }

    private static void AssertMessage(Func<object> action, params string[] parts)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(action);
        foreach (string part in parts)
        {
            Assert.Contains(part, ex.Message, StringComparison.Ordinal);
        }
    }
}
