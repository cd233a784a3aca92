using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Seeded random layer configurations that ONNX can express: every convolution and pooling
/// option (1–3 spatial dimensions, stride, padding including "same", dilation, groups, output
/// padding, ceil mode, count_include_pad), batch normalisation, activations, Flatten, Linear and
/// residual blocks. A drawn configuration the layer refuses is drawn again.
/// </summary>
internal sealed class RandomLayers(RandomSource random)
{
    private static readonly string[] Kinds = ["conv", "transposed", "max", "average", "lp", "adaptive", "norm", "linear", "flatten", "residual"];

    /// <summary>A layer (with a random activation after it, half of the time) and the shape of one input item.</summary>
    public (Layer Layer, Shape Item, string Kind) Next()
    {
        while (true)
        {
            string kind = Kinds[random.NextInt(Kinds.Length)];
            int dims = kind switch { "lp" => 1 + random.NextInt(2), "adaptive" => 2, _ => 1 + random.NextInt(3) };
            int channels = 1 + random.NextInt(4);
            int[] spatial = Enumerable.Range(0, dims).Select(_ => dims == 3 ? 3 + random.NextInt(5) : 4 + random.NextInt(9)).ToArray();
            var item = new Shape([channels, .. spatial]);
            try
            {
                Layer layer = Build(kind, dims, channels, spatial);
                layer.OutputShape(new Shape([2, .. item.Dimensions]));
                return (random.NextInt(2) == 0 ? layer : new Sequential(layer, Activation()), item, kind);
            }
            catch (ArgumentException)
            {
                // an impossible combination (kernel larger than the input, padding over half the kernel…): draw again
            }
        }
    }

    private Layer Build(string kind, int dims, int channels, int[] spatial) => kind switch
    {
        "conv" => Convolution(dims, channels),
        "transposed" => Transposed(dims, channels),
        "max" => MaxPool(dims),
        "average" => AvgPool(dims),
        "lp" => LpPool(dims),
        "adaptive" => new AdaptiveAvgPool2d((Divisor(spatial[0]), Divisor(spatial[1]))),
        "norm" => dims == 1 && random.NextInt(2) == 0
            ? new Sequential(new Flatten(), new BatchNorm1d(channels * spatial[0], eps: 1e-3))
            : dims == 1 ? new BatchNorm1d(channels) : new Sequential(Convolution(2, channels), new BatchNorm2d(Last.OutChannels, affine: random.NextInt(3) > 0)),
        "linear" => dims == 1 ? new Linear(spatial[0], 1 + random.NextInt(6), bias: random.NextInt(3) > 0, random: random) : new Sequential(new Flatten(), new Linear(channels * spatial.Aggregate(1, (a, b) => a * b), 5, random: random)),
        "flatten" => new Flatten(random.NextInt(dims + 1), -1 - random.NextInt(2)),
        _ => Block(dims, channels),
    };

    /// <summary>The convolution built last, so a following layer can take its channels.</summary>
    private ConvolutionBase Last { get; set; } = null!;

    private ConvolutionBase Convolution(int dims, int channels)
    {
        int groups = channels % 2 == 0 && random.NextInt(2) == 0 ? 2 : 1;
        int outChannels = groups * (1 + random.NextInt(3));
        bool same = random.NextInt(5) == 0;
        int[] stride = same ? Ones(dims) : Sizes(dims, 1, 3);
        Padding padding = same ? Padding.Same : Sizes(dims, 0, 2);
        int[] kernel = Sizes(dims, 1, 4), dilation = Sizes(dims, 1, 2);
        bool bias = random.NextInt(3) > 0;
        Last = dims switch
        {
            1 => new Conv1d(channels, outChannels, kernel, stride, padding, dilation, groups, bias, random),
            2 => new Conv2d(channels, outChannels, kernel, stride, padding, dilation, groups, bias, random),
            _ => new Conv3d(channels, outChannels, kernel, stride, padding, dilation, groups, bias, random),
        };
        return Last;
    }

    private Layer Transposed(int dims, int channels)
    {
        int groups = channels % 2 == 0 && random.NextInt(2) == 0 ? 2 : 1;
        int outChannels = groups * (1 + random.NextInt(3));
        int[] kernel = Sizes(dims, 1, 4), stride = Sizes(dims, 1, 3), dilation = Sizes(dims, 1, 2), padding = Sizes(dims, 0, 2);
        int[] outputPadding = stride.Zip(dilation, (s, d) => random.NextInt(Math.Max(s, d))).ToArray();
        bool bias = random.NextInt(3) > 0;
        return dims switch
        {
            1 => new ConvTranspose1d(channels, outChannels, kernel, stride, padding, outputPadding, groups, bias, dilation, random),
            2 => new ConvTranspose2d(channels, outChannels, kernel, stride, padding, outputPadding, groups, bias, dilation, random),
            _ => new ConvTranspose3d(channels, outChannels, kernel, stride, padding, outputPadding, groups, bias, dilation, random),
        };
    }

    private Layer MaxPool(int dims)
    {
        int[] kernel = Sizes(dims, 1, 4), stride = Sizes(dims, 1, 3), dilation = Sizes(dims, 1, 2);
        int[] padding = kernel.Select(k => random.NextInt(k / 2 + 1)).ToArray();
        bool ceil = random.NextInt(2) == 0;
        return dims switch
        {
            1 => new MaxPool1d(kernel, stride, padding, dilation, ceil),
            2 => new MaxPool2d(kernel, stride, padding, dilation, ceil),
            _ => new MaxPool3d(kernel, stride, padding, dilation, ceil),
        };
    }

    private Layer AvgPool(int dims)
    {
        int[] kernel = Sizes(dims, 1, 4), stride = Sizes(dims, 1, 3);
        int[] padding = kernel.Select(k => random.NextInt(k / 2 + 1)).ToArray();
        bool ceil = random.NextInt(2) == 0, include = random.NextInt(2) == 0;
        return dims switch
        {
            1 => new AvgPool1d(kernel, stride, padding, ceil, include),
            2 => new AvgPool2d(kernel, stride, padding, ceil, include),
            _ => new AvgPool3d(kernel, stride, padding, ceil, include),
        };
    }

    private Layer LpPool(int dims)
    {
        int[] kernel = Sizes(dims, 1, 4), stride = Sizes(dims, 1, 3);
        double p = 2 * (1 + random.NextInt(2));
        return dims == 1 ? new LPPool1d(p, kernel, stride) : new LPPool2d(p, kernel, stride);
    }

    private Residual Block(int dims, int channels)
    {
        var body = new Sequential(Convolution(dims, channels), Activation());
        if (random.NextInt(2) == 0 && Last.OutChannels == channels && Last.Geometry.Stride.All(s => s == 1) && Last is ConvNd { Padding.Mode: PaddingMode.Same })
        {
            return new Residual(body);
        }
        int outChannels = Last.OutChannels;
        int[] stride = Last.Geometry.Stride;
        int[] reach = Last.Geometry.Kernel.Select((k, i) => Last.Geometry.Dilation[i] * (k - 1) - Last.Geometry.PadBefore[i] - Last.Geometry.PadAfter[i]).ToArray();
        // The shortcut crops what the body's window crops, with the same stride, so the two shapes agree.
        Layer shortcut = dims switch
        {
            1 => new Conv1d(channels, outChannels, reach.Select(r => r + 1).ToArray(), stride, random: random),
            2 => new Conv2d(channels, outChannels, reach.Select(r => r + 1).ToArray(), stride, random: random),
            _ => new Conv3d(channels, outChannels, reach.Select(r => r + 1).ToArray(), stride, random: random),
        };
        return new Residual(body, shortcut);
    }

    private Layer Activation() => random.NextInt(4) switch
    {
        0 => new ReLU(),
        1 => new Sigmoid(),
        2 => new Tanh(),
        _ => new LeakyReLU(0.05f + (float)random.NextDouble() * 0.3f),
    };

    private int Divisor(int size)
    {
        int[] divisors = Enumerable.Range(1, size).Where(d => size % d == 0).ToArray();
        return divisors[random.NextInt(divisors.Length)];
    }

    private int[] Sizes(int dims, int low, int high) => Enumerable.Range(0, dims).Select(_ => low + random.NextInt(high - low + 1)).ToArray();

    private static int[] Ones(int dims) => Enumerable.Repeat(1, dims).ToArray();
}
