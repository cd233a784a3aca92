using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Weight initialisers with PyTorch's names, fan rules and defaults (<c>torch.nn.init</c>). For a
/// weight of shape <c>[out, in, k...]</c>, <c>fan_in = in·∏k</c> and <c>fan_out = out·∏k</c>.
/// Every layer's default initialisation is PyTorch's: <c>KaimingUniform(weight, a: √5)</c>, whose
/// bound works out to <c>1/√fan_in</c>, and a bias uniform in <c>±1/√fan_in</c>.
/// </summary>
public static class Init
{
    /// <summary>PyTorch's <c>_calculate_fan_in_and_fan_out</c> for a weight of rank ≥ 2.</summary>
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Rank < 2)
        {
            throw new ArgumentException($"fan in and fan out need a weight of rank 2 or more but got shape {shape}", nameof(shape));
        }
        int receptive = shape.SizeFrom(2);
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>The gain PyTorch recommends for a non-linearity: <c>linear/sigmoid</c> 1, <c>tanh</c> 5/3, <c>relu</c> √2, <c>leaky_relu</c> √(2/(1+a²)).</summary>
    public static double Gain(string nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2),
        "leaky_relu" => Math.Sqrt(2 / (1 + negativeSlope * negativeSlope)),
        _ => throw new ArgumentException($"unknown nonlinearity '{nonlinearity}': use linear, sigmoid, tanh, relu or leaky_relu", nameof(nonlinearity)),
    };

    /// <summary>U(−b, b) with <c>b = gain·√(3/fan)</c>, <c>gain = √(2/(1+a²))</c> (He et al. 2015); <c>mode</c> is <c>fan_in</c> or <c>fan_out</c>.</summary>
    public static void KaimingUniform(Tensor weight, RandomSource random, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu")
    {
        double bound = Gain(nonlinearity, a) * Math.Sqrt(3.0 / Fan(weight, mode));
        Uniform(weight, random, -bound, bound);
    }

    /// <summary>N(0, σ²) with <c>σ = gain/√fan</c> (He et al. 2015).</summary>
    public static void KaimingNormal(Tensor weight, RandomSource random, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu")
    {
        ArgumentNullException.ThrowIfNull(weight);
        weight.FillNormal(random, 0f, (float)(Gain(nonlinearity, a) / Math.Sqrt(Fan(weight, mode))));
    }

    /// <summary>U(−b, b) with <c>b = gain·√(6/(fan_in + fan_out))</c> (Glorot &amp; Bengio 2010).</summary>
    public static void XavierUniform(Tensor weight, RandomSource random, double gain = 1)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var (fanIn, fanOut) = Fans(weight.Shape);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(weight, random, -bound, bound);
    }

    /// <summary>N(0, σ²) with <c>σ = gain·√(2/(fan_in + fan_out))</c> (Glorot &amp; Bengio 2010).</summary>
    public static void XavierNormal(Tensor weight, RandomSource random, double gain = 1)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var (fanIn, fanOut) = Fans(weight.Shape);
        weight.FillNormal(random, 0f, (float)(gain * Math.Sqrt(2.0 / (fanIn + fanOut))));
    }

    /// <summary>U(<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void Uniform(Tensor tensor, RandomSource random, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.FillUniform(random, (float)low, (float)high);
    }

    private static int Fan(Tensor weight, string mode)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var (fanIn, fanOut) = Fans(weight.Shape);
        return mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"mode must be fan_in or fan_out but got '{mode}'", nameof(mode)),
        };
    }
}
