using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Bench;

/// <summary>
/// The <c>passes</c> mode: each convolution algorithm's three passes timed apart (forward, input
/// gradient, weight gradient) on the standard layers and on the 3×3 layers of vgg-small and
/// resnet-small (batch 64), and mobilenet-v2's depthwise 3×3 layers at 224×224 (batch 16, groups = channels), with GFLOP/s and its share of the measured FMA peak of the threads in
/// use (<see cref="PeakProbe"/>), so a row shows how far from the hardware each pass is.
/// </summary>
internal static class PassesBench
{
    private const int Batch = 64;

    /// <summary>The layers: name, C_in, C_out, kernel, stride, padding, input size (square).</summary>
    public static IReadOnlyList<(string Name, int In, int Out, int Kernel, int Stride, int Padding, int Size)> Layers { get; } =
    [
        ("Conv2d(1,32,5,p=2) 28x28", 1, 32, 5, 1, 2, 28),
        ("Conv2d(32,64,5,p=2) 14x14", 32, 64, 5, 1, 2, 14),
        ("Conv2d(64,128,3,p=1) 7x7", 64, 128, 3, 1, 1, 7),
        ("Conv2d(3,64,3,p=1) 32x32", 3, 64, 3, 1, 1, 32),
        ("ConvTranspose2d(64,32,4,s=2,p=1) 7x7 as conv", 32, 64, 4, 2, 1, 14),
        ("vgg Conv2d(32,32,3,p=1) 28x28", 32, 32, 3, 1, 1, 28),
        ("vgg Conv2d(64,64,3,p=1) 14x14", 64, 64, 3, 1, 1, 14),
        ("resnet Conv2d(16,16,3,p=1) 28x28", 16, 16, 3, 1, 1, 28),
        ("resnet Conv2d(16,32,3,s=2,p=1) 28x28", 16, 32, 3, 2, 1, 28),
        ("resnet Conv2d(64,64,3,p=1) 7x7", 64, 64, 3, 1, 1, 7),
    ];

    /// <summary>Issue 19: mobilenet-v2's depthwise 3×3 layers (padding 1, groups = channels) at 3×224×224, batch 16: name, channels, stride, input size.</summary>
    public static IReadOnlyList<(string Name, int Channels, int Stride, int Size)> DepthwiseLayers { get; } =
    [
        ("DepthwiseConv2d(32,3,p=1) 112x112 b16", 32, 1, 112),
        ("DepthwiseConv2d(96,3,s=2,p=1) 112x112 b16", 96, 2, 112),
        ("DepthwiseConv2d(144,3,p=1) 56x56 b16", 144, 1, 56),
        ("DepthwiseConv2d(576,3,p=1) 14x14 b16", 576, 1, 14),
    ];

    private const int DepthwiseBatch = 16;

    /// <summary>Times the passes of <see cref="Layers"/> (those named in <paramref name="only"/>, or all) by every algorithm, or only by <paramref name="algorithmName"/> (im2col, direct, winograd).</summary>
    public static void Run(TextWriter writer, Benchmark benchmark, IEnumerable<string>? only, string? algorithmName = null)
    {
        double peak = PeakProbe.GigaFlops(Parallelism.MaxThreads);
        writer.WriteLine($"# convolve passes: SIMD {Simd.Level}, threads {Parallelism.MaxThreads}, measured FMA peak {peak:F1} GFLOP/s");
        writer.WriteLine($"{"layer",-44} {"algorithm",-9} {"pass",-12} {"ms",8} {"GFLOP/s",8} {"of peak",8}");
        IEnumerable<(string Name, int Batch, int In, int Out, int Groups, int Kernel, int Stride, int Padding, int Size)> rows =
            Layers.Select(l => (l.Name, Batch, l.In, l.Out, 1, l.Kernel, l.Stride, l.Padding, l.Size))
            .Concat(DepthwiseLayers.Select(l => (l.Name, DepthwiseBatch, l.Channels, l.Channels, l.Channels, 3, l.Stride, 1, l.Size)));
        foreach (var (name, batch, inC, outC, groups, k, s, p, size) in rows)
        {
            if (only is not null && !only.Contains(name))
            {
                continue;
            }
            ConvGeometry geometry = ConvGeometry.ForConvolution("bench", 2, k, s, p, 1);
            int[] outSize = geometry.ConvolutionOutputSize([size, size]);
            var layout = new ConvolutionLayout(batch, inC, outC, groups, geometry.ToWindow3([size, size], outSize));
            float[] input = Random(batch * inC * size * size, 1), weight = Random(outC * inC / groups * k * k, 2);
            float[] output = Random(batch * outC * outSize[0] * outSize[1], 3), gradInput = new float[input.Length], gradWeight = new float[weight.Length];
            double flops = 2.0 * batch * outC * inC / groups * k * k * outSize[0] * outSize[1];
            foreach (var (label, algorithm) in AlgorithmsFor(layout))
            {
                if (algorithmName is not null && label != algorithmName)
                {
                    continue;
                }
                Row(writer, name, label, "forward", benchmark.Measure(() => algorithm.Forward(input, weight, output, layout)), flops, peak);
                Row(writer, name, label, "input grad", benchmark.Measure(() => algorithm.BackwardData(output, weight, gradInput, layout)), flops, peak);
                Row(writer, name, label, "weight grad", benchmark.Measure(() => algorithm.BackwardWeight(input, output, gradWeight, layout)), flops, peak);
            }
        }
    }

    /// <summary>im2col and direct always; Winograd and depthwise where they apply.</summary>
    private static IEnumerable<(string, IConvolutionAlgorithm)> AlgorithmsFor(ConvolutionLayout layout)
    {
        yield return ("im2col", new Im2ColConvolution());
        yield return ("direct", new DirectConvolution());
        if (WinogradPlan.Applies(layout))
        {
            yield return ("winograd", new WinogradConvolution());
        }
        if (DepthwiseConvolution.Applies(layout))
        {
            yield return ("depthwise", new DepthwiseConvolution());
        }
    }

    private static void Row(TextWriter output, string layer, string algorithm, string pass, Measurement measurement, double flops, double peak)
    {
        double gflops = flops / measurement.Median / 1e9;
        output.WriteLine(FormattableString.Invariant($"{layer,-44} {algorithm,-9} {pass,-12} {measurement.Median * 1e3,8:F3} {gflops,8:F1} {gflops / peak,8:P0}"));
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }
        return values;
    }
}
