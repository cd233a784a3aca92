using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Layers.ResidualDoubles;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

public class ResidualTests
{
    private static readonly float[] BodyScale = [0.5f, -2f, 3f], ShortcutScale = [1.5f, 0.25f, -1f];

    [Fact]
    public void Identity_shortcut_adds_the_input_and_its_gradient()
    {
        var block = new Residual(new ChannelScale(BodyScale));
        var input = Tensor.RandomNormal(new Shape(2, 3, 4), 1);
        var gradOutput = Tensor.RandomNormal(new Shape(2, 3, 4), 2);

        var output = block.Forward(input);
        var gradInput = block.Backward(gradOutput);

        // y = x·(w + 1), so ∂L/∂x = g·(w + 1) and ∂L/∂w[c] = Σ g·x over channel c.
        TensorAssert.Close(PerChannel(input, (x, c) => x * (BodyScale[c] + 1.0)), output.Data, 1e-6, 1e-7, "output");
        TensorAssert.Close(PerChannel(gradOutput, (g, c) => g * (BodyScale[c] + 1.0)), gradInput.Data, 1e-6, 1e-7, "grad input");
        TensorAssert.Close(ChannelSums(input, gradOutput), ((ChannelScale)block.Body).Weight.Grad.Data, 1e-5, 1e-6, "grad body.weight");
    }

    [Fact]
    public void Shortcut_layer_is_added_and_both_paths_get_their_gradients()
    {
        var body = new ChannelScale(BodyScale);
        var shortcut = new ChannelScale(ShortcutScale);
        var block = new Residual(body, shortcut);
        var input = Tensor.RandomNormal(new Shape(3, 3, 2, 2), 3);
        var gradOutput = Tensor.RandomNormal(new Shape(3, 3, 2, 2), 4);

        var output = block.Forward(input);
        var gradInput = block.Backward(gradOutput);

        TensorAssert.Close(PerChannel(input, (x, c) => x * ((double)BodyScale[c] + ShortcutScale[c])), output.Data, 1e-6, 1e-7, "output");
        TensorAssert.Close(PerChannel(gradOutput, (g, c) => g * ((double)BodyScale[c] + ShortcutScale[c])), gradInput.Data, 1e-6, 1e-7, "grad input");
        double[] expectedWeightGrad = ChannelSums(input, gradOutput);
        TensorAssert.Close(expectedWeightGrad, body.Weight.Grad.Data, 1e-5, 1e-6, "grad body.weight");
        TensorAssert.Close(expectedWeightGrad, shortcut.Weight.Grad.Data, 1e-5, 1e-6, "grad shortcut.weight");
    }

    [Fact]
    public void Gradient_checks_with_identity_with_a_shortcut_layer_and_with_batch_norm()
    {
        var input = Tensor.RandomNormal(new Shape(2, 3, 5), 5);
        GradientAssert.Layer(new Residual(new ChannelScale(BodyScale)), input, seed: 6);
        GradientAssert.Layer(new Residual(new ChannelScale(BodyScale), new ChannelScale(ShortcutScale)), input, seed: 7);
        var batchNorm = new BatchNorm1d(3);
        batchNorm.Weight!.Load(ShortcutScale);
        GradientAssert.Layer(new Residual(new TestChain(new ChannelScale(BodyScale), batchNorm)), input, seed: 8);
    }

    [Fact]
    public void Names_are_prefixed_with_body_and_shortcut_as_PyTorch_attributes()
    {
        var block = new Residual(new TestChain(new ChannelScale(BodyScale), new BatchNorm1d(3)), new TestChain(new ChannelScale(ShortcutScale)));
        Assert.Equal(["body.0.weight", "body.1.weight", "body.1.bias", "shortcut.0.weight"], block.NamedParameters().Select(p => p.Name));
        Assert.Equal(["body.1.running_mean", "body.1.running_var", "body.1.num_batches_tracked"], block.NamedBuffers().Select(b => b.Name));
        Assert.Empty(block.Parameters);

        var plain = new Residual(new ChannelScale(BodyScale), new BatchNorm1d(3));
        Assert.Equal(["body.weight", "shortcut.weight", "shortcut.bias"], plain.NamedParameters().Select(p => p.Name));
        Assert.Equal(["shortcut.running_mean", "shortcut.running_var", "shortcut.num_batches_tracked"], plain.NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void Mode_changes_reach_both_children_and_ZeroGrad_clears_theirs()
    {
        var body = new BatchNorm1d(3);
        var shortcut = new ChannelScale(ShortcutScale);
        var block = new Residual(body, shortcut);
        block.Forward(Tensor.RandomNormal(new Shape(4, 3), 9));
        block.Backward(Tensor.RandomNormal(new Shape(4, 3), 10));

        block.Eval();
        Assert.False(block.IsTraining || body.IsTraining || shortcut.IsTraining);
        block.Train();
        Assert.True(block.IsTraining && body.IsTraining && shortcut.IsTraining);

        Assert.Contains(shortcut.Weight.Grad.Data, g => g != 0f);
        block.ZeroGrad();
        Assert.All(block.NamedParameters().SelectMany(p => p.Parameter.Grad.Data), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Output_shape_checks_both_paths_and_names_both_shapes()
    {
        var slice = new FirstChannels(2);
        var block = new Residual(slice);
        var input = Tensor.Zeros(2, 3, 4, 4);

        var ex = Assert.Throws<ArgumentException>(() => block.Forward(input));
        Assert.Contains("body (FirstChannels) output [2, 2, 4, 4] and identity shortcut output [2, 3, 4, 4] must have the same shape", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, slice.Calls);

        ex = Assert.Throws<ArgumentException>(() => new Residual(new ChannelScale(BodyScale), new FirstChannels(1)).OutputShape(input.Shape));
        Assert.Contains("body (ChannelScale) output [2, 3, 4, 4] and shortcut (FirstChannels) output [2, 1, 4, 4]", ex.Message, StringComparison.Ordinal);

        Assert.Equal(new Shape(2, 2, 4, 4), new Residual(new FirstChannels(2), new FirstChannels(2)).OutputShape(input.Shape));
        ex = Assert.Throws<ArgumentException>(() => new Residual(new BatchNorm2d(3), new BatchNorm2d(5)).OutputShape(input.Shape));
        Assert.Contains("BatchNorm2d: numFeatures is 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Construction_and_backward_misuse_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new Residual(null!));
        var layer = new ChannelScale(BodyScale);
        var ex = Assert.Throws<ArgumentException>(() => new Residual(layer, layer));
        Assert.Contains("body and shortcut must be different layer instances", ex.Message, StringComparison.Ordinal);

        var block = new Residual(new ChannelScale(BodyScale));
        Assert.Contains("Residual.Backward needs a preceding Forward",
            Assert.Throws<InvalidOperationException>(() => block.Backward(Tensor.Zeros(1, 3))).Message, StringComparison.Ordinal);
        block.Forward(Tensor.Zeros(2, 3));
        Assert.Contains("expected gradOutput [2, 3] but got [3, 2]",
            Assert.Throws<ArgumentException>(() => block.Backward(Tensor.Zeros(3, 2))).Message, StringComparison.Ordinal);
    }

    private static double[] PerChannel(Tensor tensor, Func<double, int, double> map)
    {
        int channels = tensor.Shape[1], spatial = tensor.Shape.SizeFrom(2);
        return [.. tensor.Data.Select((v, i) => map(v, i / spatial % channels))];
    }

    private static double[] ChannelSums(Tensor input, Tensor gradOutput)
    {
        int channels = input.Shape[1], spatial = input.Shape.SizeFrom(2);
        var sums = new double[channels];
        for (int i = 0; i < input.Size; i++)
        {
            sums[i / spatial % channels] += (double)input.Data[i] * gradOutput.Data[i];
        }
        return sums;
    }
}
