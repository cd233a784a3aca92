using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Per-channel batch normalisation over an input viewed as <c>[N, C, S]</c>, where <c>S</c> is the
/// product of the spatial sizes (1 for <c>[N, C]</c>). Every loop runs n, c, s so the innermost
/// run is contiguous for both layouts; reductions accumulate in double, as PyTorch's CPU kernel does.
/// </summary>
public static class BatchNormKernel
{
    /// <summary>
    /// The mean and the biased variance (divided by <c>M = N·S</c>) of each channel, in two passes:
    /// the squared deviations from the mean do not cancel the way <c>E[x²] − E[x]²</c> does
    /// when the mean is large compared with the spread. <c>M</c> must be positive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MeanVariance(ReadOnlySpan<float> input, int n, int c, int s, Span<double> mean, Span<double> variance)
    {
        Check(input.Length, n, c, s, mean.Length, variance.Length);
        mean[..c].Clear();
        variance[..c].Clear();
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                double sum = 0;
                foreach (float x in input.Slice((i * c + ch) * s, s))
                {
                    sum += x;
                }
                mean[ch] += sum;
            }
        }
        double count = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            mean[ch] /= count;
        }
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                double mu = mean[ch], sum = 0;
                foreach (float x in input.Slice((i * c + ch) * s, s))
                {
                    sum += (x - mu) * (x - mu);
                }
                variance[ch] += sum;
            }
        }
        for (int ch = 0; ch < c; ch++)
        {
            variance[ch] /= count;
        }
    }

    /// <summary><c>output = (input − mean[c])·scale[c] + shift[c]</c>, evaluated in double and rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalize(ReadOnlySpan<float> input, int n, int c, int s, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<float> output)
    {
        Check(input.Length, n, c, s, mean.Length, scale.Length);
        Check(output.Length, n, c, s, shift.Length, c);
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int start = (i * c + ch) * s;
                ReadOnlySpan<float> x = input.Slice(start, s);
                Span<float> y = output.Slice(start, s);
                double mu = mean[ch], a = scale[ch], b = shift[ch];
                for (int j = 0; j < x.Length; j++)
                {
                    y[j] = (float)((x[j] - mu) * a + b);
                }
            }
        }
    }

    /// <summary>Per channel, <c>sumGrad = Σ g</c> and <c>sumGradCentered = Σ g·(x − mean)</c> (overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GradientSums(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, int n, int c, int s, ReadOnlySpan<double> mean, Span<double> sumGrad, Span<double> sumGradCentered)
    {
        Check(input.Length, n, c, s, mean.Length, sumGrad.Length);
        Check(gradOutput.Length, n, c, s, sumGradCentered.Length, c);
        sumGrad[..c].Clear();
        sumGradCentered[..c].Clear();
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int start = (i * c + ch) * s;
                ReadOnlySpan<float> x = input.Slice(start, s), g = gradOutput.Slice(start, s);
                double mu = mean[ch], sum = 0, sumCentered = 0;
                for (int j = 0; j < x.Length; j++)
                {
                    sum += g[j];
                    sumCentered += g[j] * (x[j] - mu);
                }
                sumGrad[ch] += sum;
                sumGradCentered[ch] += sumCentered;
            }
        }
    }

    /// <summary>
    /// <c>gradInput = scale[c]·(g − offset[c] − (x − mean[c])·slope[c])</c>: with
    /// <c>scale = γ·invstd</c>, <c>offset = Σg/M</c> and <c>slope = invstd²·Σg·(x − mean)/M</c> this is
    /// the closed form <c>(1/M)·γ·invstd·(M·g − Σg − x̂·Σ(g·x̂))</c>; offset = slope = 0 gives the affine map alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, int n, int c, int s, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, ReadOnlySpan<double> offset, ReadOnlySpan<double> slope, Span<float> gradInput)
    {
        Check(input.Length, n, c, s, mean.Length, scale.Length);
        Check(gradOutput.Length, n, c, s, offset.Length, slope.Length);
        Check(gradInput.Length, n, c, s, c, c);
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int start = (i * c + ch) * s;
                ReadOnlySpan<float> x = input.Slice(start, s), g = gradOutput.Slice(start, s);
                Span<float> dx = gradInput.Slice(start, s);
                double mu = mean[ch], a = scale[ch], b = offset[ch], k = slope[ch];
                for (int j = 0; j < x.Length; j++)
                {
                    dx[j] = (float)(a * (g[j] - b - (x[j] - mu) * k));
                }
            }
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
