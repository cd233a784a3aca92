using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Layers;

/// <summary>
/// The initialisers' ranges and variances against the formulas of torch.nn.init, derived by hand:
/// for U(−b, b) the variance is b²/3; for a [64, 32, 3, 3] weight fan_in = 288 and fan_out = 576.
/// </summary>
public class InitTests
{
    private static readonly Shape Conv = new(64, 32, 3, 3);

    private static (double Mean, double Variance, double MaxAbs) Stats(Tensor t)
    {
        double mean = t.Data.Average(v => (double)v);
        double variance = t.Data.Average(v => (v - mean) * (v - mean));
        return (mean, variance, t.Data.Max(v => Math.Abs((double)v)));
    }

    [Fact]
    public void Fans_follow_PyTorch()
    {
        Assert.Equal((288, 576), Init.Fans(Conv));
        Assert.Equal((3136, 128), Init.Fans(new Shape(128, 3136)));
        Assert.Contains("rank 2", Assert.Throws<ArgumentException>(() => Init.Fans(new Shape(5))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kaiming_uniform_with_a_sqrt5_is_the_layers_default_bound_one_over_sqrt_fan_in()
    {
        var w = new Tensor(Conv);
        Init.KaimingUniform(w, new RandomSource(1), a: Math.Sqrt(5));
        double bound = 1 / Math.Sqrt(288);
        var (_, variance, maxAbs) = Stats(w);
        Assert.True(maxAbs <= bound && maxAbs > 0.99 * bound, $"max |w| {maxAbs} vs bound {bound}");
        Assert.InRange(variance, 0.95 * bound * bound / 3, 1.05 * bound * bound / 3);
    }

    [Fact]
    public void Kaiming_normal_relu_fan_out_has_variance_two_over_fan_out()
    {
        var w = new Tensor(Conv);
        Init.KaimingNormal(w, new RandomSource(2), mode: "fan_out", nonlinearity: "relu");
        var (mean, variance, _) = Stats(w);
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(variance, 0.95 * 2.0 / 576, 1.05 * 2.0 / 576);
    }

    [Fact]
    public void Xavier_uniform_and_normal_have_variance_two_over_fan_in_plus_fan_out()
    {
        double expected = 2.0 / (288 + 576);
        var u = new Tensor(Conv);
        Init.XavierUniform(u, new RandomSource(3));
        var (_, uVariance, uMax) = Stats(u);
        Assert.True(uMax <= Math.Sqrt(6.0 / 864));
        Assert.InRange(uVariance, 0.95 * expected, 1.05 * expected);
        var n = new Tensor(Conv);
        Init.XavierNormal(n, new RandomSource(4), gain: Init.Gain("tanh"));
        Assert.InRange(Stats(n).Variance, 0.95 * expected * 25 / 9, 1.05 * expected * 25 / 9);
    }

    [Fact]
    public void Bad_options_are_refused_with_their_values()
    {
        var w = new Tensor(Conv);
        Assert.Contains("'fan_both'", Assert.Throws<ArgumentException>(() => Init.KaimingUniform(w, new RandomSource(1), mode: "fan_both")).Message, StringComparison.Ordinal);
        Assert.Contains("'selu'", Assert.Throws<ArgumentException>(() => Init.Gain("selu")).Message, StringComparison.Ordinal);
    }
}
