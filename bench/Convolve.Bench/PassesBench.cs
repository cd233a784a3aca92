using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Bench;

/// <summary>
/// The <c>passes</c> mode: each convolution algorithm's three passes timed apart (forward, input
/// gradient, weight gradient) on the standard layers and on the 3×3 layers of vgg-small and
/// resnet-small (batch 64), with GFLOP/s and its share of the measured FMA peak of the threads in
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

    /// <summary>Times the passes of <see cref="Layers"/> (those named in <paramref name="only"/>, or all) by every algorithm, or only by <paramref name="algorithmName"/> (im2col, direct, winograd).</summary>
    public static void Run(TextWriter writer, Benchmark benchmark, IEnumerable<string>? only, string? algorithmName = null)
    {
        double peak = PeakProbe.GigaFlops(Parallelism.MaxThreads);
        writer.WriteLine($"# convolve passes: SIMD {Simd.Level}, threads {Parallelism.MaxThreads}, measured FMA peak {peak:F1} GFLOP/s");
        writer.WriteLine($"{"layer",-44} {"algorithm",-9} {"pass",-12} {"ms",8} {"GFLOP/s",8} {"of peak",8}");
        foreach (var (name, inC, outC, k, s, p, size) in Layers)
        {
            if (only is not null && !only.Contains(name))
            {
                continue;
            }
            ConvGeometry geometry = ConvGeometry.ForConvolution("bench", 2, k, s, p, 1);
            int[] outSize = geometry.ConvolutionOutputSize([size, size]);
            var layout = new ConvolutionLayout(Batch, inC, outC, 1, geometry.ToWindow3([size, size], outSize));
            float[] input = Random(Batch * inC * size * size, 1), weight = Random(outC * inC * k * k, 2);
            float[] output = Random(Batch * outC * outSize[0] * outSize[1], 3), gradInput = new float[input.Length], gradWeight = new float[weight.Length];
            double flops = 2.0 * Batch * outC * inC * k * k * outSize[0] * outSize[1];
            var algorithms = new List<(string, IConvolutionAlgorithm)> { ("im2col", new Im2ColConvolution()), ("direct", new DirectConvolution()) };
            if (WinogradPlan.Applies(layout))
            {
                algorithms.Add(("winograd", new WinogradConvolution()));
            }
            foreach (var (label, algorithm) in algorithms)
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
