using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>The scalar parts of writing C: partial edge tiles and the <c>beta·C</c> shortcut.</summary>
internal static unsafe class GemmTile
{
    /// <summary>
    /// Copies the top-left rows×columns of an edge tile that already holds <c>alpha·acc</c> into C,
    /// adding <c>beta·C</c> exactly as the full-tile path does (so edges round the same way).
    /// </summary>
    public static void StoreEdge(float* tile, int tileStride, float* c, nint ldc, int rows, int columns, float beta)
    {
        for (int i = 0; i < rows; i++, tile += tileStride, c += ldc)
        {
            for (int j = 0; j < columns; j++)
            {
                c[j] = beta == 0f ? tile[j] : tile[j] + c[j] * beta;
            }
        }
    }

    /// <summary>
    /// <c>C = beta·C</c> for an m×n block, the whole product when <c>k == 0</c> or <c>alpha == 0</c>;
    /// <c>beta == 0</c> writes zeros without reading C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(Span<float> c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                for (int j = 0; j < n; j++)
                {
                    row[j] *= beta;
                }
            }
        }
    }
}
