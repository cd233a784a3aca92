using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Dense;

public class SequentialTests
{
    [Fact]
    public void Parameters_are_named_by_position_like_PyTorch()
    {
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(), new Linear(8, 2));
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Same(((Linear)model[3]).Bias, model.NamedParameters().Last().Parameter);
    }

    [Fact]
    public void Nested_chains_prefix_each_level()
    {
        var model = new Sequential(new Flatten(), new Sequential(new Linear(6, 4), new Tanh()), new Linear(4, 2, bias: false));
        Assert.Equal(["1.0.weight", "1.0.bias", "2.weight"], model.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Buffers_are_named_by_position_like_PyTorch()
    {
        var norm = new BatchNorm1d(4);
        var model = new Sequential(new Linear(3, 4), new Sequential(new ReLU(), norm));
        Assert.Equal(["1.1.running_mean", "1.1.running_var", "1.1.num_batches_tracked"], model.NamedBuffers().Select(b => b.Name));
        Assert.Same(norm.RunningVar, model.NamedBuffers().ElementAt(1).Buffer);
    }

    [Fact]
    public void Count_indexer_enumeration_and_add()
    {
        var relu = new ReLU();
        var linear = new Linear(3, 3);
        var model = new Sequential(relu);
        model.Add(linear);
        Assert.Equal(2, model.Count);
        Assert.Same(linear, model[1]);
        Assert.Equal([relu, linear], model.ToList());
        Assert.Equal(["1.weight", "1.bias"], model.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Output_shape_chains_through_the_children()
    {
        var model = new Sequential(new Flatten(), new Linear(12, 5), new ReLU(), new Linear(5, 3));
        Assert.Equal(new Shape(4, 3), model.OutputShape(new Shape(4, 3, 2, 2)));
        var ex = Assert.Throws<ArgumentException>(() => model.OutputShape(new Shape(4, 3, 2, 3)));
        Assert.Contains("Linear(inFeatures: 12) expected input [*, 12] but got [4, 18]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_and_backward_equal_running_the_children_by_hand()
    {
        var (first, second, third) = (new Linear(5, 4, random: new RandomSource(1)), new Tanh(), new Linear(4, 3, random: new RandomSource(2)));
        var model = new Sequential(first, second, third);
        var input = Tensor.RandomNormal(new Shape(2, 5), 3);
        var gradOutput = Tensor.RandomNormal(new Shape(2, 3), 4);
        Tensor output = model.Forward(input);
        Tensor gradInput = model.Backward(gradOutput);
        float[] weightGrad = (float[])first.Weight.Grad.Data.Clone();

        model.ZeroGrad();
        Tensor byHand = third.Forward(second.Forward(first.Forward(input)));
        Tensor gradByHand = first.Backward(second.Backward(third.Backward(gradOutput)));
        TensorAssert.Identical(byHand.Data, output.Data, "forward");
        TensorAssert.Identical(gradByHand.Data, gradInput.Data, "backward");
        TensorAssert.Identical(first.Weight.Grad.Data, weightGrad, "first layer's weight gradient");
    }

    [Fact]
    public void Gradient_check_through_several_layers()
    {
        var model = new Sequential(
            new Flatten(),
            new Linear(12, 7, random: new RandomSource(1)),
            new Tanh(),
            new Sequential(new Linear(7, 6, random: new RandomSource(2)), new Sigmoid()),
            new Linear(6, 4, random: new RandomSource(3)),
            new LeakyReLU(0.1f));
        GradientAssert.Layer(model, Tensor.RandomNormal(new Shape(3, 3, 2, 2), 4));
    }

    [Fact]
    public void Training_mode_reaches_every_descendant()
    {
        var inner = new Dropout();
        var model = new Sequential(new Linear(2, 2), new Sequential(inner));
        model.Eval();
        Assert.False(model.IsTraining);
        Assert.False(model[0].IsTraining);
        Assert.False(inner.IsTraining);
        model.Train();
        Assert.True(inner.IsTraining);
    }

    [Fact]
    public void An_empty_chain_is_the_identity()
    {
        var input = Tensor.Zeros(2, 3);
        var model = new Sequential();
        Assert.Empty(model);
        Assert.Same(input, model.Forward(input));
        Assert.Equal(input.Shape, model.OutputShape(input.Shape));
    }

    [Fact]
    public void A_null_layer_is_refused_with_its_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sequential(new ReLU(), null!, new Tanh()));
        Assert.Contains("layer 1 of 3 is null", ex.Message, StringComparison.Ordinal);
    }
}
