using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// The tile transforms of Winograd's minimal filtering F(2×2, 3×3) (Lavin &amp; Gray, CVPR 2016),
/// on channel vectors: every value is a vector of <c>Lanes</c> channels of a blocked frame, so one
/// call transforms a tile for a whole channel block. With
/// <c>Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]]</c> and <c>Aᵀ = [[1,1,1,0],[0,1,−1,−1]]</c>,
/// a 2×2 output tile is <c>Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A</c> for the 4×4 input tile d; the 16 products
/// <c>ξ</c> of the ⊙ are independent, which is what turns the convolution into 16 products summed
/// over channels. The weight gradient runs the same algebra transposed:
/// <c>∂g = Gᵀ[Σ_tiles (A ∂y Aᵀ) ⊙ (Bᵀ d B)]G</c>. Transformed tiles are written as 16 vectors
/// <see cref="TransformStride"/> apart (the ξ-major layout the products read).
/// </summary>
internal static unsafe class WinogradTransforms
{
    /// <summary>
    /// <c>V = Bᵀ d B</c> for the 4×4 tile at <paramref name="d"/> (rows <paramref name="row"/> apart,
    /// positions Lanes apart), written to <c>v[ξ·stride]</c>, ξ = 4·i + j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TOps, TVector>(float* d, nint row, float* v, nint stride)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int l = TOps.Lanes;
        var (d0, d1, d2, d3) = Row<TOps, TVector>(d, l);
        var (e0, e1, e2, e3) = Row<TOps, TVector>(d + row, l);
        var (f0, f1, f2, f3) = Row<TOps, TVector>(d + (2 * row), l);
        var (h0, h1, h2, h3) = Row<TOps, TVector>(d + (3 * row), l);
        // Bᵀ d: row combinations d − f, e + f, f − e, e − h.
        InputRow<TOps, TVector>(TOps.Subtract(d0, f0), TOps.Subtract(d1, f1), TOps.Subtract(d2, f2), TOps.Subtract(d3, f3), v, stride);
        InputRow<TOps, TVector>(TOps.Add(e0, f0), TOps.Add(e1, f1), TOps.Add(e2, f2), TOps.Add(e3, f3), v + (4 * stride), stride);
        InputRow<TOps, TVector>(TOps.Subtract(f0, e0), TOps.Subtract(f1, e1), TOps.Subtract(f2, e2), TOps.Subtract(f3, e3), v + (8 * stride), stride);
        InputRow<TOps, TVector>(TOps.Subtract(e0, h0), TOps.Subtract(e1, h1), TOps.Subtract(e2, h2), TOps.Subtract(e3, h3), v + (12 * stride), stride);
    }

    /// <summary>
    /// <c>Y = Aᵀ m A</c> from the 16 vectors <c>m[ξ·stride]</c>: the 2×2 output tile, written at
    /// <paramref name="y"/> (rows <paramref name="row"/> apart); a tile cut by the output's edge keeps <paramref name="rows"/> × <paramref name="columns"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TOps, TVector>(float* m, nint stride, float* y, nint row, int rows, int columns)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        // Aᵀ m: rows m0 + m1 + m2 and m1 − m2 − m3 (each four vectors).
        var (a0, a1, a2, a3) = Quad<TOps, TVector>(m, stride, 0);
        var (b0, b1, b2, b3) = Quad<TOps, TVector>(m, stride, 4);
        var (c0, c1, c2, c3) = Quad<TOps, TVector>(m, stride, 8);
        var (e0, e1, e2, e3) = Quad<TOps, TVector>(m, stride, 12);
        OutputRow<TOps, TVector>(TOps.Add(TOps.Add(a0, b0), c0), TOps.Add(TOps.Add(a1, b1), c1), TOps.Add(TOps.Add(a2, b2), c2), TOps.Add(TOps.Add(a3, b3), c3), y, columns);
        if (rows > 1)
        {
            OutputRow<TOps, TVector>(
                TOps.Subtract(TOps.Subtract(b0, c0), e0), TOps.Subtract(TOps.Subtract(b1, c1), e1),
                TOps.Subtract(TOps.Subtract(b2, c2), e2), TOps.Subtract(TOps.Subtract(b3, c3), e3), y + row, columns);
        }
    }

    /// <summary>
    /// <c>Ŷ = A ∂y Aᵀ</c> for the 2×2 output-gradient tile at <paramref name="g"/> (rows
    /// <paramref name="row"/> apart), written to <c>u[ξ·stride]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient<TOps, TVector>(float* g, nint row, float* u, nint stride)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        int l = TOps.Lanes;
        TVector p0 = TOps.Load(g), p1 = TOps.Load(g + l), q0 = TOps.Load(g + row), q1 = TOps.Load(g + row + l);
        // A ∂y: rows p, p + q, p − q, −q; then the same on the columns of each row.
        GradientRow<TOps, TVector>(p0, p1, u, stride);
        GradientRow<TOps, TVector>(TOps.Add(p0, q0), TOps.Add(p1, q1), u + (4 * stride), stride);
        GradientRow<TOps, TVector>(TOps.Subtract(p0, q0), TOps.Subtract(p1, q1), u + (8 * stride), stride);
        TVector zero = default;
        GradientRow<TOps, TVector>(TOps.Subtract(zero, q0), TOps.Subtract(zero, q1), u + (12 * stride), stride);
    }

    /// <summary>Floats between consecutive ξ in a transformed buffer of <paramref name="blocks"/> channel blocks × <paramref name="tiles"/> tiles.</summary>
    public static nint TransformStride(int blocks, int tiles, int lanes) => (nint)blocks * tiles * lanes;

    /// <summary>The weight transform <c>U = G g Gᵀ</c> of one 3×3 kernel (row-major) into 16 values, ξ = 4·i + j, in double.</summary>
    public static void Weight(ReadOnlySpan<float> g, Span<double> u)
    {
        Span<double> t = stackalloc double[12]; // G g: 4×3
        for (int c = 0; c < 3; c++)
        {
            double g0 = g[c], g1 = g[3 + c], g2 = g[6 + c];
            (t[c], t[3 + c], t[6 + c], t[9 + c]) = (g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2);
        }
        for (int r = 0; r < 4; r++)
        {
            double a = t[3 * r], b = t[(3 * r) + 1], c = t[(3 * r) + 2];
            (u[4 * r], u[(4 * r) + 1], u[(4 * r) + 2], u[(4 * r) + 3]) = (a, (a + b + c) / 2, (a - b + c) / 2, c);
        }
    }

    /// <summary>The weight-gradient output transform <c>∂g = Gᵀ z G</c> of 16 values (ξ = 4·i + j) into a 3×3 kernel (row-major).</summary>
    public static void WeightGradient(ReadOnlySpan<double> z, Span<double> g)
    {
        Span<double> t = stackalloc double[12]; // Gᵀ z: 3×4
        for (int c = 0; c < 4; c++)
        {
            double z0 = z[c], z1 = z[4 + c], z2 = z[8 + c], z3 = z[12 + c];
            (t[c], t[4 + c], t[8 + c]) = (z0 + ((z1 + z2) / 2), (z1 - z2) / 2, ((z1 + z2) / 2) + z3);
        }
        for (int r = 0; r < 3; r++)
        {
            double z0 = t[4 * r], z1 = t[(4 * r) + 1], z2 = t[(4 * r) + 2], z3 = t[(4 * r) + 3];
            (g[3 * r], g[(3 * r) + 1], g[(3 * r) + 2]) = (z0 + ((z1 + z2) / 2), (z1 - z2) / 2, ((z1 + z2) / 2) + z3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector, TVector, TVector, TVector) Row<TOps, TVector>(float* p, int lanes)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged =>
        (TOps.Load(p), TOps.Load(p + lanes), TOps.Load(p + (2 * lanes)), TOps.Load(p + (3 * lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector, TVector, TVector, TVector) Quad<TOps, TVector>(float* m, nint stride, int first)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged =>
        (TOps.Load(m + (first * stride)), TOps.Load(m + ((first + 1) * stride)), TOps.Load(m + ((first + 2) * stride)), TOps.Load(m + ((first + 3) * stride)));

    /// <summary>One row of <c>t B</c>: t0 − t2, t1 + t2, t2 − t1, t1 − t3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow<TOps, TVector>(TVector t0, TVector t1, TVector t2, TVector t3, float* v, nint stride)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        TOps.Store(v, TOps.Subtract(t0, t2));
        TOps.Store(v + stride, TOps.Add(t1, t2));
        TOps.Store(v + (2 * stride), TOps.Subtract(t2, t1));
        TOps.Store(v + (3 * stride), TOps.Subtract(t1, t3));
    }

    /// <summary>One row of <c>s A</c>: s0 + s1 + s2 and s1 − s2 − s3, the second dropped at the output's edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputRow<TOps, TVector>(TVector s0, TVector s1, TVector s2, TVector s3, float* y, int columns)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        TOps.Store(y, TOps.Add(TOps.Add(s0, s1), s2));
        if (columns > 1)
        {
            TOps.Store(y + TOps.Lanes, TOps.Subtract(TOps.Subtract(s1, s2), s3));
        }
    }

    /// <summary>One row of <c>r Aᵀ</c> for a 2-wide row r: r0, r0 + r1, r0 − r1, −r1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientRow<TOps, TVector>(TVector r0, TVector r1, float* u, nint stride)
        where TOps : struct, ISimdOps<TVector>
        where TVector : unmanaged
    {
        TOps.Store(u, r0);
        TOps.Store(u + stride, TOps.Add(r0, r1));
        TOps.Store(u + (2 * stride), TOps.Subtract(r0, r1));
        TOps.Store(u + (3 * stride), TOps.Subtract(default, r1));
    }
}
