using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Convolution;

/// <summary>One convolution or transposed-convolution configuration for the comparison tests, with a readable name for failure messages.</summary>
public sealed record ConvCase(
    string Label, int Dims, int Batch, int InChannels, int OutChannels, int Groups, int[] Kernel, int[] Stride,
    Padding Padding, int[] Dilation, int[] InputSize, int[] OutputPadding, bool Bias)
{
    public Shape InputShape => new([Batch, InChannels, .. InputSize]);

    public Tensor Input(ulong seed) => Tensor.RandomNormal(InputShape, seed);

    public ConvNd Conv(ulong seed)
    {
        var random = new RandomSource(seed);
        return Dims switch
        {
            1 => new Conv1d(InChannels, OutChannels, Kernel, Stride, Padding, Dilation, Groups, Bias, random),
            2 => new Conv2d(InChannels, OutChannels, Kernel, Stride, Padding, Dilation, Groups, Bias, random),
            _ => new Conv3d(InChannels, OutChannels, Kernel, Stride, Padding, Dilation, Groups, Bias, random),
        };
    }

    public ConvTransposeNd Transposed(ulong seed)
    {
        var random = new RandomSource(seed);
        return Dims switch
        {
            1 => new ConvTranspose1d(InChannels, OutChannels, Kernel, Stride, Padding, OutputPadding, Groups, Bias, Dilation, random),
            2 => new ConvTranspose2d(InChannels, OutChannels, Kernel, Stride, Padding, OutputPadding, Groups, Bias, Dilation, random),
            _ => new ConvTranspose3d(InChannels, OutChannels, Kernel, Stride, Padding, OutputPadding, Groups, Bias, Dilation, random),
        };
    }

    public override string ToString() =>
        $"{Label} ({Dims}-d, N {Batch}, C {InChannels}→{OutChannels}, groups {Groups}, k {Shape.Format(Kernel)}, s {Shape.Format(Stride)}, " +
        $"p {Padding}, d {Shape.Format(Dilation)}, in {Shape.Format(InputSize)}, op {Shape.Format(OutputPadding)}, bias {Bias})";

    /// <summary>A random convolution whose kernel fits the padded input; every padding mode, groups, dilation and stride occur.</summary>
    public static ConvCase RandomConv(int dims, ulong seed)
    {
        var r = new RandomSource(seed);
        var (inChannels, outChannels, groups) = RandomChannels(r);
        int[] kernel = Draw(dims, () => 1 + r.NextInt(dims == 3 ? 3 : 4));
        int[] dilation = Draw(dims, () => 1 + r.NextInt(2));
        int[] stride = Draw(dims, () => 1 + r.NextInt(3));
        int mode = r.NextInt(4);
        Padding padding = mode switch { 0 => Padding.Valid, 1 => Padding.Full, _ => Draw(dims, () => r.NextInt(3)) };
        if (mode == 1 && r.NextInt(2) == 0)
        {
            padding = Padding.Same;
            stride = Draw(dims, () => 1);
        }
        var geometry = ConvGeometry.ForConvolution("Conv", dims, kernel, stride, padding, dilation);
        int[] input = Draw(dims, i => Math.Max(1, geometry.EffectiveKernel(i) - geometry.PadBefore[i] - geometry.PadAfter[i]) + r.NextInt(dims == 3 ? 3 : 5));
        return new ConvCase($"random conv {seed}", dims, 1 + r.NextInt(3), inChannels, outChannels, groups, kernel, stride, padding, dilation, input, new int[dims], r.NextInt(4) != 0);
    }

    /// <summary>A random transposed convolution, with output padding below the stride or (when the stride is smaller) below the dilation.</summary>
    public static ConvCase RandomTransposed(int dims, ulong seed)
    {
        var r = new RandomSource(seed);
        var (inChannels, outChannels, groups) = RandomChannels(r);
        int[] kernel = Draw(dims, () => 1 + r.NextInt(dims == 3 ? 3 : 4));
        int[] dilation = Draw(dims, () => 1 + r.NextInt(3));
        int[] stride = Draw(dims, () => 1 + r.NextInt(3));
        int[] outputPadding = Draw(dims, i => r.NextInt(Math.Max(stride[i], dilation[i])));
        int[] input = Draw(dims, () => 1 + r.NextInt(dims == 3 ? 3 : 5));
        // Padding may remove at most what the output has beyond one element per side.
        int[] padding = Draw(dims, i => Math.Min(r.NextInt(3), ((input[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i]) / 2));
        return new ConvCase($"random transposed {seed}", dims, 1 + r.NextInt(3), inChannels, outChannels, groups, kernel, stride, padding, dilation, input, outputPadding, r.NextInt(4) != 0);
    }

    private static (int In, int Out, int Groups) RandomChannels(RandomSource r)
    {
        if (r.NextInt(8) == 0)
        {
            return (17, 1 + r.NextInt(5), 1);
        }
        int groups = new[] { 1, 1, 2, 3 }[r.NextInt(4)];
        return (groups * new[] { 1, 2, 3, 5 }[r.NextInt(4)], groups * (1 + r.NextInt(3)), groups);
    }

    private static int[] Draw(int dims, Func<int> value) => Draw(dims, _ => value());

    private static int[] Draw(int dims, Func<int, int> value)
    {
        var values = new int[dims];
        for (int i = 0; i < dims; i++)
        {
            values[i] = value(i);
        }
        return values;
    }
}
