using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// Double-precision vector lanes fed from float data: a reduction over float values accumulates
/// in double, as PyTorch's CPU kernels do for batch statistics and the batch-norm backward. Each
/// vector holds <see cref="WideLanes"/> doubles converted from as many consecutive floats.
/// </summary>
/// <typeparam name="TWide">The double vector type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> or double.</typeparam>
internal unsafe interface IWideOps<TWide> where TWide : unmanaged
{
    /// <summary>Doubles in one vector (floats consumed by one <see cref="Load"/>).</summary>
    static abstract int WideLanes { get; }

    /// <summary><see cref="WideLanes"/> consecutive floats, each converted (exactly) to double.</summary>
    static abstract TWide Load(float* source);

    /// <summary>One double in every lane.</summary>
    static abstract TWide Create(double value);

    /// <summary><c>a + b</c>.</summary>
    static abstract TWide Add(TWide a, TWide b);

    /// <summary><c>a − b</c>.</summary>
    static abstract TWide Subtract(TWide a, TWide b);

    /// <summary><c>a·b + addend</c>, fused.</summary>
    static abstract TWide MultiplyAdd(TWide a, TWide b, TWide addend);

    /// <summary><c>value</c> where <paramref name="mask"/> is positive, else 0, per lane.</summary>
    static abstract TWide WherePositive(TWide value, TWide mask);

    /// <summary>The sum of the lanes, added in a fixed order.</summary>
    static abstract double Sum(TWide value);
}

/// <summary>AVX-512: 8 doubles from 8 floats (vcvtps2pd).</summary>
internal readonly unsafe struct WideOps512 : IWideOps<Vector512<double>>
{
    public static int WideLanes => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(float* source) => Avx512F.ConvertToVector512Double(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Create(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> addend) => Vector512.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> WherePositive(Vector512<double> value, Vector512<double> mask) => Vector512.ConditionalSelect(Vector512.GreaterThan(mask, Vector512<double>.Zero), value, Vector512<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value) => Vector512.Sum(value);
}

/// <summary>AVX2: 4 doubles from 4 floats (vcvtps2pd).</summary>
internal readonly unsafe struct WideOps256 : IWideOps<Vector256<double>>
{
    public static int WideLanes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(float* source) => Avx.ConvertToVector256Double(Vector128.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Create(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> addend) => Vector256.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> WherePositive(Vector256<double> value, Vector256<double> mask) => Vector256.ConditionalSelect(Vector256.GreaterThan(mask, Vector256<double>.Zero), value, Vector256<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> value) => Vector256.Sum(value);
}

/// <summary>SSE/NEON: 2 doubles from 2 floats; multiply then add (no fused operation is guaranteed at this level).</summary>
internal readonly unsafe struct WideOps128 : IWideOps<Vector128<double>>
{
    public static int WideLanes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(float* source) => Vector128.Create((double)source[0], source[1]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Create(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Subtract(Vector128<double> a, Vector128<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> addend) => (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> WherePositive(Vector128<double> value, Vector128<double> mask) => Vector128.ConditionalSelect(Vector128.GreaterThan(mask, Vector128<double>.Zero), value, Vector128<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<double> value) => Vector128.Sum(value);
}

/// <summary>No SIMD: one double; multiply then add.</summary>
internal readonly unsafe struct WideOpsScalar : IWideOps<double>
{
    public static int WideLanes => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Create(double value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double a, double b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Subtract(double a, double b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double addend) => (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double WherePositive(double value, double mask) => mask > 0 ? value : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(double value) => value;
}

/// <summary>
/// Row reductions of float data accumulated in double vector lanes (<see cref="IWideOps{TWide}"/>):
/// two accumulators over pairs of vectors, then one vector, then the tail in scalar double; the two
/// accumulators and then the lanes are added in a fixed order, so a result depends only on the data
/// and the SIMD level. Each product of two floats is exact in double, so the only rounding is that of
/// the double additions: about 1e-16 relative to the sum of the magnitudes, where float lanes give
/// about 1e-7 (the cause of issue 17: a channel mean of 30 with a spread of 0.01 lost three digits
/// of x − mean).
/// </summary>
internal static unsafe class WideSums
{
    /// <summary><c>Σ a</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum<TW, TWide>(float* a, int s)
        where TW : struct, IWideOps<TWide>
        where TWide : unmanaged
    {
        int lanes = TW.WideLanes, i = 0;
        TWide acc0 = default, acc1 = default;
        for (; i <= s - (2 * lanes); i += 2 * lanes)
        {
            acc0 = TW.Add(acc0, TW.Load(a + i));
            acc1 = TW.Add(acc1, TW.Load(a + i + lanes));
        }
        if (i <= s - lanes)
        {
            acc0 = TW.Add(acc0, TW.Load(a + i));
            i += lanes;
        }
        double sum = TW.Sum(TW.Add(acc0, acc1));
        for (; i < s; i++)
        {
            sum += a[i];
        }
        return sum;
    }

    /// <summary><c>Σ (a − mean)²</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double CenteredSquares<TW, TWide>(float* a, int s, double mean)
        where TW : struct, IWideOps<TWide>
        where TWide : unmanaged
    {
        int lanes = TW.WideLanes, i = 0;
        TWide acc0 = default, acc1 = default, vMean = TW.Create(mean);
        for (; i <= s - (2 * lanes); i += 2 * lanes)
        {
            TWide d0 = TW.Subtract(TW.Load(a + i), vMean), d1 = TW.Subtract(TW.Load(a + i + lanes), vMean);
            acc0 = TW.MultiplyAdd(d0, d0, acc0);
            acc1 = TW.MultiplyAdd(d1, d1, acc1);
        }
        if (i <= s - lanes)
        {
            TWide d = TW.Subtract(TW.Load(a + i), vMean);
            acc0 = TW.MultiplyAdd(d, d, acc0);
            i += lanes;
        }
        double sum = TW.Sum(TW.Add(acc0, acc1));
        for (; i < s; i++)
        {
            double d = a[i] - mean;
            sum += d * d;
        }
        return sum;
    }

    /// <summary>
    /// <c>Σ g'</c> and <c>Σ g'·(a − mean)</c>, with <c>g' = g</c>, or with <paramref name="mask"/> (not null)
    /// <c>g' = g</c> where the mask is positive and 0 elsewhere (a folded ReLU's gradient).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Sum, double Centered) GradientSums<TW, TWide>(float* a, float* g, float* mask, int s, double mean)
        where TW : struct, IWideOps<TWide>
        where TWide : unmanaged
    {
        int lanes = TW.WideLanes, i = 0;
        TWide sum0 = default, sum1 = default, centered0 = default, centered1 = default, vMean = TW.Create(mean);
        for (; i <= s - (2 * lanes); i += 2 * lanes)
        {
            TWide g0 = TW.Load(g + i), g1 = TW.Load(g + i + lanes);
            if (mask is not null)
            {
                g0 = TW.WherePositive(g0, TW.Load(mask + i));
                g1 = TW.WherePositive(g1, TW.Load(mask + i + lanes));
            }
            sum0 = TW.Add(sum0, g0);
            sum1 = TW.Add(sum1, g1);
            centered0 = TW.MultiplyAdd(TW.Subtract(TW.Load(a + i), vMean), g0, centered0);
            centered1 = TW.MultiplyAdd(TW.Subtract(TW.Load(a + i + lanes), vMean), g1, centered1);
        }
        if (i <= s - lanes)
        {
            TWide g0 = TW.Load(g + i);
            if (mask is not null)
            {
                g0 = TW.WherePositive(g0, TW.Load(mask + i));
            }
            sum0 = TW.Add(sum0, g0);
            centered0 = TW.MultiplyAdd(TW.Subtract(TW.Load(a + i), vMean), g0, centered0);
            i += lanes;
        }
        double sum = TW.Sum(TW.Add(sum0, sum1)), centered = TW.Sum(TW.Add(centered0, centered1));
        for (; i < s; i++)
        {
            double gated = mask is null || mask[i] > 0f ? g[i] : 0.0;
            sum += gated;
            centered += (a[i] - mean) * gated;
        }
        return (sum, centered);
    }
}
