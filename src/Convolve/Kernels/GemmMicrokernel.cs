namespace Convolve.Kernels;

/// <summary>
/// A GEMM microkernel in the BLIS sense: it multiplies one packed MR×kc panel of A by one packed
/// kc×NR panel of B into registers and then writes the whole MR×NR tile to C as
/// <c>C = alpha·acc + beta·C</c> (with <c>beta == 0</c> C is not read). It has no m or n loop:
/// edges are handled by the caller through a temporary tile. Implemented by structs so that the
/// generic driver is specialised per kernel and the call is direct.
/// </summary>
internal unsafe interface IGemmMicrokernel
{
    /// <summary>Rows of the register tile (the height of a packed A panel).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile (the width of a packed B panel).</summary>
    static abstract int NR { get; }

    /// <summary>
    /// Computes the tile. <paramref name="a"/> holds kc groups of MR values (column p of the panel),
    /// <paramref name="b"/> holds kc groups of NR values (row p of the panel); <paramref name="c"/>
    /// is the tile's top-left element in a row-major matrix with row stride <paramref name="ldc"/>.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);

    /// <summary>
    /// The same for the left half of the tile, MR×(NR/2), reading the same packed panels: the
    /// narrow right edge of C (at most NR/2 columns left) then costs half a tile instead of a
    /// whole one. Each element goes through the same operations as in <see cref="Run"/>.
    /// </summary>
    static abstract void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);
}
