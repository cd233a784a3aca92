using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Dense;

public class DropoutTests
{
    /// <summary>Inputs in [1, 2), so an output of exactly 0 means the element was dropped.</summary>
    private static Tensor Input(int size, ulong seed = 1) => Tensor.RandomUniform(new Shape(size), seed, 1f, 2f);

    [Fact]
    public void Same_seed_gives_the_same_mask_and_another_seed_a_different_one()
    {
        var input = Input(1000);
        float[] a = new Dropout(0.5f, new RandomSource(7)).Forward(input).Data;
        float[] b = new Dropout(0.5f, new RandomSource(7)).Forward(input).Data;
        float[] c = new Dropout(0.5f, new RandomSource(8)).Forward(input).Data;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    [InlineData(0.8f)]
    public void About_one_minus_p_survive_and_survivors_are_scaled(float p)
    {
        const int size = 100_000;
        var input = Input(size);
        Tensor output = new Dropout(p, new RandomSource(11)).Forward(input);
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            if (output.Data[i] != 0f)
            {
                kept++;
                Assert.Equal(input.Data[i] / (1.0 - p), output.Data[i], 2e-6 * input.Data[i] / (1.0 - p));
            }
        }
        // The kept count is Binomial(n, 1 − p): its standard deviation is below 0.0016·n, so ±0.01·n is over 6σ.
        Assert.InRange(kept / (double)size, 1 - p - 0.01, 1 - p + 0.01);
    }

    [Fact]
    public void Backward_applies_the_forward_mask()
    {
        var layer = new Dropout(0.4f, new RandomSource(3));
        var input = Input(500);
        Tensor output = layer.Forward(input);
        var gradOutput = Tensor.RandomNormal(input.Shape, 4);
        Tensor gradInput = layer.Backward(gradOutput);
        for (int i = 0; i < input.Size; i++)
        {
            double expected = output.Data[i] == 0f ? 0 : gradOutput.Data[i] / 0.6;
            Assert.Equal(expected, gradInput.Data[i], 2e-6 * Math.Abs(expected));
        }
    }

    [Fact]
    public void Eval_mode_is_the_identity()
    {
        var layer = new Dropout(0.9f, new RandomSource(1));
        layer.Eval();
        var input = Input(100);
        Assert.Same(input, layer.Forward(input));
    }

    [Fact]
    public void P_one_gives_zeros_and_p_zero_keeps_everything()
    {
        var input = Input(300);
        Assert.All(new Dropout(1f, new RandomSource(1)).Forward(input).Data, v => Assert.Equal(0f, v));
        Assert.Equal(input.Data, new Dropout(0f, new RandomSource(1)).Forward(input).Data);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void P_outside_zero_one_is_refused(float p)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Dropout(p));
        Assert.Contains($"p must be in [0, 1] but got {p}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_needs_a_forward_and_a_matching_gradient()
    {
        var layer = new Dropout();
        Assert.Throws<InvalidOperationException>(() => layer.Backward(Tensor.Zeros(4)));
        layer.Forward(Tensor.Zeros(4));
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(Tensor.Zeros(5)));
        Assert.Contains("expected gradOutput [4] but got [5]", ex.Message, StringComparison.Ordinal);
        layer.Eval();
        layer.Forward(Tensor.Zeros(4));
        Assert.Throws<ArgumentException>(() => layer.Backward(Tensor.Zeros(5)));
    }

    [Fact]
    public void Eval_mode_backward_is_the_identity_as_its_forward()
    {
        var layer = new Dropout(0.9f, new RandomSource(1));
        layer.Eval();
        layer.Forward(Input(10));
        var gradOutput = Input(10);
        Assert.Same(gradOutput, layer.Backward(gradOutput));
    }
}

[Collection(GlobalRandomSerial.Name)]
public class DropoutGlobalRandomTests
{
    [Fact]
    public void Without_a_generator_the_global_one_is_read_at_each_forward()
    {
        var layer = new Dropout(0.5f);
        var input = Tensor.RandomUniform(new Shape(200), 1, 1f, 2f);
        RandomSource.ManualSeed(5);
        float[] fromGlobal = layer.Forward(input).Data;
        Assert.Equal(new Dropout(0.5f, new RandomSource(5)).Forward(input).Data, fromGlobal);
    }
}
