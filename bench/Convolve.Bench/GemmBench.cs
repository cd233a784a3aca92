using Convolve.Kernels;

namespace Convolve.Bench;

/// <summary>The <c>gemm</c> mode: times <see cref="Gemm.Multiply"/> on the standard shapes and prints a table.</summary>
internal static class GemmBench
{
    /// <summary>The table header, shared with bench/compare_gemm.py.</summary>
    public const string Header = "shape                          M      N      K   median      min      max  (GFLOP/s)";

    public static void Run(TextWriter output, Benchmark benchmark, IEnumerable<GemmShape> shapes)
    {
        output.WriteLine($"# convolve gemm: backend {Gemm.Backend}, SIMD {Simd.Level} (hardware {Simd.HardwareLevel}), threads {Parallelism.MaxThreads}");
        output.WriteLine(Header);
        foreach (GemmShape shape in shapes)
        {
            var random = new Random(1234);
            float[] a = RandomMatrix(random, shape.M * shape.K);
            float[] b = RandomMatrix(random, shape.K * shape.N);
            float[] c = new float[shape.M * shape.N];
            Measurement measurement = benchmark.Measure(() =>
                Gemm.Multiply(false, false, shape.M, shape.N, shape.K, 1f, a, shape.K, b, shape.N, 0f, c, shape.N));
            var (median, max, min) = measurement.GigaFlops(shape.Flops);
            output.WriteLine($"{shape.Name,-26} {shape.M,6} {shape.N,6} {shape.K,6} {median,8:F1} {min,8:F1} {max,8:F1}");
        }
    }

    private static float[] RandomMatrix(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }
}
