using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Dense;

public class FlattenTests
{
    [Theory]
    [InlineData(1, -1, new[] { 2, 3, 4, 5 }, new[] { 2, 60 })]
    [InlineData(0, -1, new[] { 2, 3, 4, 5 }, new[] { 120 })]
    [InlineData(1, 2, new[] { 2, 3, 4, 5 }, new[] { 2, 12, 5 })]
    [InlineData(-3, -2, new[] { 2, 3, 4, 5 }, new[] { 2, 12, 5 })]
    [InlineData(2, 2, new[] { 2, 3, 4, 5 }, new[] { 2, 3, 4, 5 })]
    [InlineData(1, -3, new[] { 2, 3, 4, 5 }, new[] { 2, 3, 4, 5 })]
    [InlineData(0, 0, new[] { 7 }, new[] { 7 })]
    [InlineData(1, -1, new[] { 6, 1 }, new[] { 6, 1 })]
    [InlineData(0, -1, new int[0], new[] { 1 })]
    [InlineData(-1, 0, new int[0], new[] { 1 })]
    [InlineData(1, -1, new[] { 4, 0, 3 }, new[] { 4, 0 })]
    public void Output_shape_follows_PyTorch(int startDim, int endDim, int[] inputDims, int[] expected)
    {
        var layer = new Flatten(startDim, endDim);
        Assert.Equal(new Shape(expected), layer.OutputShape(new Shape(inputDims)));
        Assert.Equal(new Shape(expected), layer.Forward(new Tensor(new Shape(inputDims))).Shape);
    }

    [Fact]
    public void Forward_is_a_view_and_backward_restores_the_shape()
    {
        var layer = new Flatten();
        var input = Tensor.RandomNormal(new Shape(2, 3, 2, 2), 1);
        Tensor output = layer.Forward(input);
        Assert.Same(input.Data, output.Data);
        var gradOutput = Tensor.RandomNormal(new Shape(2, 12), 2);
        Tensor gradInput = layer.Backward(gradOutput);
        Assert.Equal(input.Shape, gradInput.Shape);
        TensorAssert.Identical(gradOutput.Data, gradInput.Data, "flatten backward");
        GradientAssert.Layer(new Flatten(0, 2), Tensor.RandomNormal(new Shape(2, 3, 4), 3));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(-1, -2)]
    public void Start_after_end_with_equal_signs_is_refused_at_construction(int startDim, int endDim)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Flatten(startDim, endDim));
        Assert.Contains($"startDim ({startDim}) must not come after endDim ({endDim})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_after_end_once_wrapped_is_refused_with_the_input()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Flatten(2, -3).Forward(Tensor.Zeros(2, 3, 4, 5)));
        Assert.Contains("startDim (2) must not come after endDim (-3) but for input [2, 3, 4, 5] they are dims 2 and 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, -1, "startDim (4) must be in [-4, 3] for input [2, 3, 4, 5] of rank 4")]
    [InlineData(0, -5, "endDim (-5) must be in [-4, 3] for input [2, 3, 4, 5] of rank 4")]
    public void Dimensions_out_of_range_are_refused(int startDim, int endDim, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Flatten(startDim, endDim).OutputShape(new Shape(2, 3, 4, 5)));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_start_needs_at_least_two_dimensions()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Flatten().Forward(Tensor.Zeros(5)));
        Assert.Contains("startDim (1) must be in [-1, 0] for input [5] of rank 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_checks_its_cache_and_the_gradient_shape()
    {
        var layer = new Flatten();
        Assert.Throws<InvalidOperationException>(() => layer.Backward(Tensor.Zeros(2, 6)));
        layer.Forward(Tensor.Zeros(2, 3, 2));
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(Tensor.Zeros(2, 5)));
        Assert.Contains("expected gradOutput [2, 6] but got [2, 5]", ex.Message, StringComparison.Ordinal);
    }
}
