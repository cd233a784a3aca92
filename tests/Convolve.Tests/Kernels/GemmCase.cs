using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Tests.Kernels;

/// <summary>
/// One GEMM problem with random operands, leading dimensions padded by <c>pad</c>, and C prefilled
/// with NaN where beta is 0 (it must be overwritten without being read) or with random values
/// otherwise; the padding between rows of C holds a sentinel that must survive.
/// </summary>
internal sealed class GemmCase
{
    private const float Sentinel = 7777f;

    public GemmCase(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float beta, int pad, ulong seed)
    {
        (TransposeA, TransposeB, M, N, K, Alpha, Beta) = (transposeA, transposeB, m, n, k, alpha, beta);
        var random = new RandomSource(seed);
        Lda = (transposeA ? m : k) + pad;
        Ldb = (transposeB ? k : n) + pad;
        Ldc = n + pad;
        A = RandomValues(random, Math.Max(1, (transposeA ? k : m) * Lda));
        B = RandomValues(random, Math.Max(1, (transposeB ? n : k) * Ldb));
        InitialC = new float[Math.Max(1, m * Ldc)];
        for (int i = 0; i < InitialC.Length; i++)
        {
            bool inside = i % Ldc < n;
            InitialC[i] = !inside ? Sentinel : beta == 0f ? float.NaN : (float)(random.NextDouble() * 2 - 1);
        }
    }

    public bool TransposeA { get; }
    public bool TransposeB { get; }
    public int M { get; }
    public int N { get; }
    public int K { get; }
    public float Alpha { get; }
    public float Beta { get; }
    public int Lda { get; }
    public int Ldb { get; }
    public int Ldc { get; }
    public float[] A { get; }
    public float[] B { get; }
    public float[] InitialC { get; }

    public override string ToString() =>
        $"m={M} n={N} k={K} transposeA={TransposeA} transposeB={TransposeB} alpha={Alpha} beta={Beta} lda={Lda} ldb={Ldb} ldc={Ldc}";

    /// <summary>C after the managed GEMM with the given settings.</summary>
    public float[] RunManaged(GemmSettings settings)
    {
        float[] c = (float[])InitialC.Clone();
        Gemm.MultiplyManaged(settings, TransposeA, TransposeB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, c, Ldc);
        return c;
    }

    /// <summary>
    /// Compares with <see cref="GemmReference"/> (float64 accumulation) within the float32 error
    /// bound of a k-term dot product, (2k + 8)·u·(|alpha|·Σ|a||b| + |beta·c|) with u = 2⁻²⁴,
    /// and checks that the padding of C is untouched.
    /// </summary>
    public void AssertMatchesReference(float[] actual, string context)
    {
        float[] expected = (float[])InitialC.Clone();
        GemmReference.Multiply(TransposeA, TransposeB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, expected, Ldc);
        float[] magnitude = Array.ConvertAll(InitialC, MathF.Abs);
        GemmReference.Multiply(TransposeA, TransposeB, M, N, K, MathF.Abs(Alpha), Array.ConvertAll(A, MathF.Abs), Lda,
            Array.ConvertAll(B, MathF.Abs), Ldb, MathF.Abs(Beta), magnitude, Ldc);
        double unit = Math.ScaleB(1.0, -24);
        for (int i = 0; i < actual.Length; i++)
        {
            if (i % Ldc >= N)
            {
                Assert.True(actual[i] == Sentinel, $"{context} ({this}): padding element {i} of C was overwritten with {actual[i]}");
                continue;
            }
            double tolerance = (2 * K + 8) * unit * magnitude[i] + 1e-30;
            double difference = Math.Abs(actual[i] - (double)expected[i]);
            Assert.True(difference <= tolerance,
                $"{context} ({this}): C[{i / Ldc}, {i % Ldc}] is {actual[i]:G9} but the reference gives {expected[i]:G9} (tolerance {tolerance:G3})");
        }
    }

    private static float[] RandomValues(RandomSource random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }
}
