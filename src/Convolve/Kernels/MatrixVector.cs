using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// <c>output[r, o] = bias[o] + Σ_i x[r, i]·weight[o, i]</c> for a few rows: a fully connected layer at batch 1 to
/// <see cref="MaxRows"/>, where GEMM would pack the whole weight matrix for one row. Each output is a dot
/// product over a contiguous weight row (read straight from memory, once per row of x), summed in two vector
/// accumulators added together, the lanes in a fixed order, then the scalar tail. The output features are split
/// over the threads; each output is summed by one thread in the same order, so the result does not depend on the
/// thread count.
/// </summary>
internal static unsafe class MatrixVector
{
    /// <summary>The most rows worth a dot product per output; more rows go to GEMM.</summary>
    public const int MaxRows = 4;

    /// <summary>At the start-up SIMD level.</summary>
    public static void Multiply(ReadOnlySpan<float> x, int rows, int inFeatures, ReadOnlySpan<float> weight, int outFeatures, ReadOnlySpan<float> bias, Span<float> output) =>
        Multiply(x, rows, inFeatures, weight, outFeatures, bias, output, Simd.Level);

    /// <summary>At a given SIMD level (tests cover each).</summary>
    /// <param name="x">Shape [rows, inFeatures].</param>
    /// <param name="rows">Rows of x.</param>
    /// <param name="inFeatures">Columns of x and of the weight.</param>
    /// <param name="weight">Shape [outFeatures, inFeatures].</param>
    /// <param name="outFeatures">Rows of the weight.</param>
    /// <param name="bias">Shape [outFeatures], or empty for none.</param>
    /// <param name="output">Shape [rows, outFeatures]; overwritten.</param>
    /// <param name="level">The vector width.</param>
    public static void Multiply(ReadOnlySpan<float> x, int rows, int inFeatures, ReadOnlySpan<float> weight, int outFeatures, ReadOnlySpan<float> bias, Span<float> output, SimdLevel level)
    {
        if (x.Length < (long)rows * inFeatures || weight.Length < (long)outFeatures * inFeatures || output.Length < (long)rows * outFeatures
            || (!bias.IsEmpty && bias.Length < outFeatures))
        {
            throw new ArgumentException(
                $"MatrixVector: x {x.Length}, weight {weight.Length}, bias {bias.Length} or output {output.Length} floats too short for {rows} rows, {inFeatures} inputs, {outFeatures} outputs");
        }
        fixed (float* px = x, pw = weight, pb = bias, py = output)
        {
            var (a, w, b, y) = ((nint)px, (nint)pw, bias.IsEmpty ? 0 : (nint)pb, (nint)py);
            // One multiply-add is one unit of work, as in the convolutions: fashion-cnn's 3136×128 layer at batch 1
            // (0.02 ms) then stays on one thread, where two measured slower (0.027 ms), and splits from batch 3 on.
            Parallelism.For(outFeatures, (long)rows * inFeatures, (first, end) =>
            {
                switch (level)
                {
                    case SimdLevel.Vector512:
                        Outputs<SimdOps512, Vector512<float>>((float*)a, rows, inFeatures, (float*)w, outFeatures, (float*)b, (float*)y, first, end);
                        break;
                    case SimdLevel.Vector256:
                        Outputs<SimdOps256, Vector256<float>>((float*)a, rows, inFeatures, (float*)w, outFeatures, (float*)b, (float*)y, first, end);
                        break;
                    case SimdLevel.Vector128:
                        Outputs<SimdOps128, Vector128<float>>((float*)a, rows, inFeatures, (float*)w, outFeatures, (float*)b, (float*)y, first, end);
                        break;
                    default:
                        Outputs<SimdOpsScalar, float>((float*)a, rows, inFeatures, (float*)w, outFeatures, (float*)b, (float*)y, first, end);
                        break;
                }
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Outputs<TOps, TVector>(float* x, int rows, int n, float* weight, int outFeatures, float* bias, float* output, int first, int end)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int lanes = TOps.Lanes;
        for (int o = first; o < end; o++)
        {
            float* w = weight + ((long)o * n);
            for (int r = 0; r < rows; r++)
            {
                float* a = x + ((long)r * n);
                TVector sum0 = TOps.Create(0f), sum1 = TOps.Create(0f);
                int i = 0;
                for (; i + (2 * lanes) <= n; i += 2 * lanes)
                {
                    sum0 = TOps.MultiplyAdd(TOps.Load(a + i), TOps.Load(w + i), sum0);
                    sum1 = TOps.MultiplyAdd(TOps.Load(a + i + lanes), TOps.Load(w + i + lanes), sum1);
                }
                float total = TOps.Sum(TOps.Add(sum0, sum1));
                for (; i < n; i++)
                {
                    total += a[i] * w[i];
                }
                output[((long)r * outFeatures) + o] = bias is null ? total : total + bias[o];
            }
        }
    }
}
