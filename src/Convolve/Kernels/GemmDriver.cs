using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// The five BLIS loops around a microkernel, on one thread, for the block of C given by a row and
/// a column range: <c>jc</c> (NC columns of B) → <c>pc</c> (KC-deep slices, packing B) →
/// <c>ic</c> (MC rows of A, packing A) → <c>jr</c> (NR columns) → <c>ir</c> (MR rows). Ranges
/// start on multiples of MR and NR, so every element of C goes through the same tile and the same
/// k order whatever the range: results do not depend on how the work is split.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Computes rows [rowStart, rowEnd) × columns [columnStart, columnEnd) of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(in GemmOperands operands, GemmBlocking blocking, int rowStart, int rowEnd, int columnStart, int columnEnd)
        where TKernel : struct, IGemmMicrokernel
    {
        int mr = TKernel.MR, nr = TKernel.NR, k = operands.K;
        GemmWorkspace workspace = GemmWorkspace.Current;
        // Equal slices of at most KC (576 = 3 × 192, not 256 + 256 + 64): a short last slice would
        // pay a whole pass over C for few k-steps.
        int kcMax = (k + (k + blocking.KC - 1) / blocking.KC - 1) / ((k + blocking.KC - 1) / blocking.KC);
        float* packedB = workspace.PackedB(kcMax * Math.Min(blocking.NC, GemmBlocking.RoundUp(columnEnd - columnStart, nr)));
        float* packedA = workspace.PackedA(kcMax * Math.Min(blocking.MC, GemmBlocking.RoundUp(rowEnd - rowStart, mr)));
        float* tile = workspace.Tile(mr * nr);
        for (int jc = columnStart; jc < columnEnd; jc += blocking.NC)
        {
            int nc = Math.Min(blocking.NC, columnEnd - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                float beta = pc == 0 ? operands.Beta : 1f;
                GemmPacking.Pack(operands.B + pc * operands.BDepthStride + jc * operands.BColumnStride,
                    operands.BColumnStride, operands.BDepthStride, nc, kc, nr, packedB);
                for (int ic = rowStart; ic < rowEnd; ic += blocking.MC)
                {
                    int mc = Math.Min(blocking.MC, rowEnd - ic);
                    GemmPacking.Pack(operands.A + ic * operands.ARowStride + pc * operands.ADepthStride,
                        operands.ARowStride, operands.ADepthStride, mc, kc, mr, packedA);
                    Macrokernel<TKernel>(mc, nc, kc, packedA, packedB, operands.C + ic * operands.Ldc + jc, operands.Ldc, operands.Alpha, beta, tile);
                }
            }
        }
    }

    /// <summary>The jr and ir loops over one packed MC×KC block of A and one packed KC×NC block of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Macrokernel<TKernel>(int mc, int nc, int kc, float* packedA, float* packedB, float* c, nint ldc, float alpha, float beta, float* tile)
        where TKernel : struct, IGemmMicrokernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            float* bPanel = packedB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                float* aPanel = packedA + (nint)ir * kc;
                float* cTile = c + ir * ldc + jr;
                if (rows == mr && columns == nr)
                {
                    TKernel.Run(kc, aPanel, bPanel, cTile, ldc, alpha, beta);
                }
                else if (2 * columns <= nr)
                {
                    TKernel.RunHalf(kc, aPanel, bPanel, tile, nr, alpha, 0f);
                    GemmTile.StoreEdge(tile, nr, cTile, ldc, rows, columns, beta);
                }
                else
                {
                    TKernel.Run(kc, aPanel, bPanel, tile, nr, alpha, 0f);
                    GemmTile.StoreEdge(tile, nr, cTile, ldc, rows, columns, beta);
                }
            }
        }
    }
}
