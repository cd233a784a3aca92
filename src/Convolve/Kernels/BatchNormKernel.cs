using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// Per-channel batch normalisation over an input viewed as <c>[N, C, S]</c>, where <c>S</c> is the
/// product of the spatial sizes (1 for <c>[N, C]</c>). The channels are split over the threads
/// (<see cref="Parallelism"/>): each channel is reduced by one thread, over n, then s, so the result
/// does not depend on the thread count. Every reduction (the mean, the centred sum of squares, Σg and
/// Σg·(x − mean)) accumulates in double vector lanes fed from the float data (<see cref="WideSums"/>),
/// as PyTorch's CPU kernel accumulates in double: summing in float lanes lost digits of x − mean on
/// channels whose mean is far from zero compared with their spread (issue 17). The per-element maps
/// run in float with the per-channel constants rounded once; the mean is carried as two floats
/// (high + low part), so <c>x − mean</c> stays accurate when the mean is large compared with the
/// spread (the high part cancels exactly, Sterbenz's lemma).
/// </summary>
public static unsafe class BatchNormKernel
{
    /// <summary>
    /// The mean and the biased variance (divided by <c>M = N·S</c>) of each channel, in two passes
    /// accumulated in double: the squared deviations from the mean do not cancel the way
    /// <c>E[x²] − E[x]²</c> does when the mean is large compared with the spread. <c>M</c> must be positive.
    /// </summary>
    public static void MeanVariance(ReadOnlySpan<float> input, int n, int c, int s, Span<double> mean, Span<double> variance)
    {
        Check(input.Length, n, c, s, mean.Length, variance.Length);
        fixed (float* x = input)
        fixed (double* means = mean, variances = variance)
        {
            var (px, pm, pv) = ((nint)x, (nint)means, (nint)variances);
            ForEachChannel(n, c, s, 2, (first, end) => Run(Simd.Level, new Job(JobKind.MeanVariance, (float*)px, null, null, null, null, n, c, s, first, end), (double*)pm, (double*)pv));
        }
    }

    /// <summary>
    /// <c>output = (input − mean[c])·scale[c] + shift[c]</c>, with the constants in float; with
    /// <paramref name="relu"/>, <c>max(·, 0)</c> of it (a following ReLU folded in).
    /// </summary>
    public static void Normalize(ReadOnlySpan<float> input, int n, int c, int s, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<float> output, bool relu = false)
    {
        Check(input.Length, n, c, s, mean.Length, scale.Length);
        Check(output.Length, n, c, s, shift.Length, c);
        float[] constants = Constants(c, mean, scale, shift, default);
        fixed (float* x = input, y = output, k = constants)
        {
            var (px, py, pk) = ((nint)x, (nint)y, (nint)k);
            ForEachChannel(n, c, s, 1, (first, end) => Run(Simd.Level, new Job(relu ? JobKind.NormalizeRelu : JobKind.Normalize, (float*)px, null, (float*)py, (float*)pk, null, n, c, s, first, end)));
        }
    }

    /// <summary>
    /// Per channel, <c>sumGrad = Σ g</c> and <c>sumGradCentered = Σ g·(x − mean)</c> (overwritten).
    /// With <paramref name="reluOutput"/> (the output of a forward pass with a folded ReLU), g is first
    /// zeroed where that output is not positive: the ReLU's backward pass folded in.
    /// </summary>
    public static void GradientSums(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, int n, int c, int s, ReadOnlySpan<double> mean, Span<double> sumGrad, Span<double> sumGradCentered, ReadOnlySpan<float> reluOutput = default)
    {
        Check(input.Length, n, c, s, mean.Length, sumGrad.Length);
        Check(gradOutput.Length, n, c, s, sumGradCentered.Length, c);
        CheckMask(reluOutput, input.Length);
        fixed (float* x = input, g = gradOutput, mask = reluOutput)
        fixed (double* means = mean, sums = sumGrad, centered = sumGradCentered)
        {
            var (px, pg, pk, pm, ps, pc) = ((nint)x, (nint)g, (nint)means, (nint)mask, (nint)sums, (nint)centered);
            ForEachChannel(n, c, s, 2, (first, end) =>
                Run(Simd.Level, new Job(JobKind.GradientSums, (float*)px, (float*)pg, null, null, (float*)pm, n, c, s, first, end, (double*)pk), (double*)ps, (double*)pc));
        }
    }

    /// <summary>
    /// <c>gradInput = scale[c]·(g − offset[c] − (x − mean[c])·slope[c])</c>: with
    /// <c>scale = γ·invstd</c>, <c>offset = Σg/M</c> and <c>slope = invstd²·Σg·(x − mean)/M</c> this is
    /// the closed form <c>(1/M)·γ·invstd·(M·g − Σg − x̂·Σ(g·x̂))</c>; offset = slope = 0 gives the affine map alone.
    /// With <paramref name="reluOutput"/>, g is zeroed where that output is not positive, as in <see cref="GradientSums"/>.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, int n, int c, int s, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, ReadOnlySpan<double> offset, ReadOnlySpan<double> slope, Span<float> gradInput, ReadOnlySpan<float> reluOutput = default)
    {
        Check(input.Length, n, c, s, mean.Length, scale.Length);
        Check(gradOutput.Length, n, c, s, offset.Length, slope.Length);
        Check(gradInput.Length, n, c, s, c, c);
        CheckMask(reluOutput, input.Length);
        float[] constants = Constants(c, mean, scale, offset, slope);
        fixed (float* x = input, g = gradOutput, dx = gradInput, k = constants, mask = reluOutput)
        {
            var (px, pg, pdx, pk, pm) = ((nint)x, (nint)g, (nint)dx, (nint)k, (nint)mask);
            ForEachChannel(n, c, s, 2, (first, end) =>
                Run(Simd.Level, new Job(JobKind.InputGradient, (float*)px, (float*)pg, (float*)pdx, (float*)pk, (float*)pm, n, c, s, first, end)));
        }
    }

    private enum JobKind
    {
        MeanVariance,
        Normalize,
        NormalizeRelu,
        GradientSums,
        InputGradient,
    }

    /// <summary>
    /// One thread's share: channels [First, End) of an [N, C, S] input <see cref="A"/>, with the
    /// output gradient <see cref="B"/>, the per-element result <see cref="Target"/> and the per-channel
    /// constants <see cref="Constants"/> (<c>[C][5]</c>) where the kind uses them, the folded
    /// ReLU's output <see cref="Mask"/> (null for none) that gates the gradient, and the per-channel
    /// mean in double <see cref="Mean"/> for the gradient sums.
    /// </summary>
    private readonly struct Job(JobKind kind, float* a, float* b, float* target, float* constants, float* mask, int n, int c, int s, int first, int end, double* mean = null)
    {
        public readonly JobKind Kind = kind;
        public readonly float* A = a, B = b, Target = target, Constants = constants, Mask = mask;
        public readonly double* Mean = mean;
        public readonly int N = n, C = c, S = s, First = first, End = end;
    }

    /// <summary>Floats per channel in a constants array: mean (high, low), then up to three more.</summary>
    private const int PerChannel = 5;

    /// <summary>Per-channel float constants, <c>[C][5]</c>: the mean as high + low part, then k1, k2, k3 rounded once.</summary>
    private static float[] Constants(int c, ReadOnlySpan<double> mean, ReadOnlySpan<double> k1, ReadOnlySpan<double> k2, ReadOnlySpan<double> k3)
    {
        var constants = new float[c * PerChannel];
        for (int ch = 0; ch < c; ch++)
        {
            Span<float> k = constants.AsSpan(ch * PerChannel, PerChannel);
            k[0] = (float)mean[ch];
            k[1] = (float)(mean[ch] - k[0]);
            k[2] = k1.IsEmpty ? 0f : (float)k1[ch];
            k[3] = k2.IsEmpty ? 0f : (float)k2[ch];
            k[4] = k3.IsEmpty ? 0f : (float)k3[ch];
        }
        return constants;
    }

    private static void ForEachChannel(int n, int c, int s, int passes, Action<int, int> body) =>
        Parallelism.For(c, (long)n * s * passes, body);

    /// <summary>Runs a job at a SIMD level; the reductions write their two per-channel results to <paramref name="first"/> and <paramref name="second"/>.</summary>
    private static void Run(SimdLevel level, Job job, double* first = null, double* second = null)
    {
        switch (level)
        {
            case SimdLevel.Vector512:
                Run<SimdOps512, Vector512<float>, WideOps512, Vector512<double>>(job, first, second);
                break;
            case SimdLevel.Vector256:
                Run<SimdOps256, Vector256<float>, WideOps256, Vector256<double>>(job, first, second);
                break;
            case SimdLevel.Vector128:
                Run<SimdOps128, Vector128<float>, WideOps128, Vector128<double>>(job, first, second);
                break;
            default:
                Run<SimdOpsScalar, float, WideOpsScalar, double>(job, first, second);
                break;
        }
    }

    private static void Run<TOps, TVector, TW, TWide>(Job job, double* first, double* second)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
        where TW : struct, IWideOps<TWide>
        where TWide : unmanaged
    {
        for (int ch = job.First; ch < job.End; ch++)
        {
            switch (job.Kind)
            {
                case JobKind.MeanVariance:
                    MeanVarianceOf<TW, TWide>(job, ch, first, second);
                    break;
                case JobKind.GradientSums:
                    GradientSumsOf<TW, TWide>(job, ch, first, second);
                    break;
                default:
                    MapChannel<TOps, TVector>(job, ch, job.Constants + (ch * PerChannel));
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MeanVarianceOf<TW, TWide>(Job job, int ch, double* mean, double* variance)
        where TW : struct, IWideOps<TWide>
        where TWide : unmanaged
    {
        double sum = 0, count = (double)job.N * job.S;
        for (int i = 0; i < job.N; i++)
        {
            sum += WideSums.Sum<TW, TWide>(job.A + ((((long)i * job.C) + ch) * job.S), job.S);
        }
        mean[ch] = sum / count;
        double squares = 0;
        for (int i = 0; i < job.N; i++)
        {
            squares += WideSums.CenteredSquares<TW, TWide>(job.A + ((((long)i * job.C) + ch) * job.S), job.S, mean[ch]);
        }
        variance[ch] = squares / count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientSumsOf<TW, TWide>(Job job, int ch, double* sumGrad, double* sumGradCentered)
        where TW : struct, IWideOps<TWide>
        where TWide : unmanaged
    {
        double sum = 0, centered = 0, mean = job.Mean[ch];
        for (int i = 0; i < job.N; i++)
        {
            long start = (((long)i * job.C) + ch) * job.S;
            var (rowSum, rowCentered) = WideSums.GradientSums<TW, TWide>(job.A + start, job.B + start, job.Mask is null ? null : job.Mask + start, job.S, mean);
            sum += rowSum;
            centered += rowCentered;
        }
        sumGrad[ch] = sum;
        sumGradCentered[ch] = centered;
    }

    /// <summary>
    /// The per-element maps of one channel with constants <c>k = [mean high, mean low, scale, shift or offset, slope]</c>:
    /// normalise <c>(x − mean)·scale + shift</c>, or input gradient <c>scale·(g − offset − (x − mean)·slope)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapChannel<TOps, TVector>(Job job, int ch, float* k)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        bool gradient = job.Kind == JobKind.InputGradient, relu = job.Kind == JobKind.NormalizeRelu;
        float high = k[0], low = k[1], scale = k[2], shift = k[3], slope = k[4];
        TVector vHigh = TOps.Create(high), vLow = TOps.Create(low), vScale = TOps.Create(scale), vShift = TOps.Create(shift), vSlope = TOps.Create(slope);
        int lanes = TOps.Lanes;
        for (int i = 0; i < job.N; i++)
        {
            long start = (((long)i * job.C) + ch) * job.S;
            float* x = job.A + start, g = job.B + start, y = job.Target + start, mask = job.Mask is null ? null : job.Mask + start;
            int j = 0;
            if (gradient)
            {
                for (; j <= job.S - lanes; j += lanes)
                {
                    TVector centered = TOps.Subtract(TOps.Subtract(TOps.Load(x + j), vHigh), vLow);
                    TVector gated = mask is null ? TOps.Load(g + j) : TOps.WherePositive(TOps.Load(g + j), TOps.Load(mask + j));
                    TVector inner = TOps.Subtract(TOps.Subtract(gated, vShift), TOps.Multiply(centered, vSlope));
                    TOps.Store(y + j, TOps.Multiply(inner, vScale));
                }
                for (; j < job.S; j++)
                {
                    float gated = mask is null || mask[j] > 0f ? g[j] : 0f;
                    y[j] = (gated - shift - ((x[j] - high - low) * slope)) * scale;
                }
            }
            else
            {
                for (; j <= job.S - lanes; j += lanes)
                {
                    TVector normalized = TOps.MultiplyAdd(TOps.Subtract(TOps.Subtract(TOps.Load(x + j), vHigh), vLow), vScale, vShift);
                    TOps.Store(y + j, relu ? TOps.Relu(normalized) : normalized);
                }
                for (; j < job.S; j++)
                {
                    float normalized = ((x[j] - high - low) * scale) + shift;
                    y[j] = relu ? MathF.Max(normalized, 0f) : normalized;
                }
            }
        }
    }

    private static void CheckMask(ReadOnlySpan<float> reluOutput, int length)
    {
        if (!reluOutput.IsEmpty && reluOutput.Length != length)
        {
            throw new ArgumentException($"batch-norm kernel: the ReLU output has {reluOutput.Length} elements but the input {length}", nameof(reluOutput));
        }
    }

    private static void Check(int length, int n, int c, int s, int channelsA, int channelsB)
    {
        if (n < 0 || c < 0 || s < 0 || (long)n * c * s != length || channelsA < c || channelsB < c)
        {
            throw new ArgumentException(
                $"batch-norm kernel: a span of {length} elements cannot be [N {n}, C {c}, S {s}], or a per-channel span ({channelsA}, {channelsB}) is shorter than C {c}");
        }
    }
}
