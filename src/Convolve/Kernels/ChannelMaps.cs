using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// Per-channel sums and adds over a tensor viewed as <c>[N, C, S]</c> (a convolution's bias and
/// its gradient), vectorised and split over the channels on all threads (<see cref="Parallelism"/>):
/// each channel is handled by one thread in a fixed order, so the sums do not depend on the thread
/// count. A row of S values is summed in double vector lanes (<see cref="WideSums"/>: a bias gradient
/// whose terms cancel keeps its digits), the lanes are added in a fixed order, and the rows are summed
/// in double.
/// </summary>
public static unsafe class ChannelMaps
{
    /// <summary><c>sums[c] = Σ_n Σ_s data[n, c, s]</c> (overwritten).</summary>
    public static void SumPerChannel(ReadOnlySpan<float> data, int n, int c, int s, Span<double> sums)
    {
        Check(data.Length, n, c, s, sums.Length);
        fixed (float* x = data)
        fixed (double* target = sums)
        {
            var (px, pt) = ((nint)x, (nint)target);
            Parallelism.For(c, (long)n * s, (first, end) =>
            {
                for (int ch = first; ch < end; ch++)
                {
                    ((double*)pt)[ch] = SumChannel(Simd.Level, (float*)px, n, c, s, ch);
                }
            });
        }
    }

    /// <summary><c>data[n, c, s] += values[c]</c>.</summary>
    public static void AddPerChannel(Span<float> data, int n, int c, int s, ReadOnlySpan<float> values)
    {
        Check(data.Length, n, c, s, values.Length);
        fixed (float* x = data, v = values)
        {
            var (px, pv) = ((nint)x, (nint)v);
            Parallelism.For(n * c, s, (first, end) =>
            {
                for (int row = first; row < end; row++)
                {
                    AddToRow(Simd.Level, (float*)px + ((long)row * s), s, ((float*)pv)[row % c]);
                }
            });
        }
    }

    private static void AddToRow(SimdLevel level, float* row, int s, float value)
    {
        switch (level)
        {
            case SimdLevel.Vector512:
                AddToRow<SimdOps512, Vector512<float>>(row, s, value);
                break;
            case SimdLevel.Vector256:
                AddToRow<SimdOps256, Vector256<float>>(row, s, value);
                break;
            case SimdLevel.Vector128:
                AddToRow<SimdOps128, Vector128<float>>(row, s, value);
                break;
            default:
                AddToRow<SimdOpsScalar, float>(row, s, value);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddToRow<TOps, TVector>(float* row, int s, float value)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int lanes = TOps.Lanes, i = 0;
        TVector add = TOps.Create(value);
        for (; i <= s - lanes; i += lanes)
        {
            TOps.Store(row + i, TOps.Add(TOps.Load(row + i), add));
        }
        for (; i < s; i++)
        {
            row[i] += value;
        }
    }

    private static double SumChannel(SimdLevel level, float* data, int n, int c, int s, int ch)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            float* row = data + ((((long)i * c) + ch) * s);
            sum += level switch
            {
                SimdLevel.Vector512 => WideSums.Sum<WideOps512, Vector512<double>>(row, s),
                SimdLevel.Vector256 => WideSums.Sum<WideOps256, Vector256<double>>(row, s),
                SimdLevel.Vector128 => WideSums.Sum<WideOps128, Vector128<double>>(row, s),
                _ => WideSums.Sum<WideOpsScalar, double>(row, s),
            };
        }
        return sum;
    }

    private static void Check(int length, int n, int c, int s, int channels)
    {
        if (n < 0 || c < 0 || s < 0 || (long)n * c * s != length || channels < c)
        {
            throw new ArgumentException($"channel map: a span of {length} elements cannot be [N {n}, C {c}, S {s}], or the per-channel span ({channels}) is shorter than C {c}");
        }
    }
}
