namespace Convolve.Kernels;

/// <summary>
/// How C is cut among threads: into <see cref="Parts"/> bands of whole MR×NR tiles, either row
/// bands or column bands. Band edges lie on the tile grid, so each element of C is computed by one
/// thread through the same tile and k order as in a single-threaded run.
/// </summary>
internal readonly record struct GemmPartition(int Parts, bool ByRows, int Band, int M, int N)
{
    /// <summary>
    /// Picks the number of parts (at most <paramref name="threads"/>, fewer for products under
    /// <see cref="Parallelism.MinWorkPerThread"/> multiply-adds per thread) and
    /// the direction whose busiest band is smallest; ties go to column bands, which share A's rows.
    /// </summary>
    public static GemmPartition Choose(int m, int n, int k, int mr, int nr, int threads)
    {
        long multiplyAdds = (long)m * n * k;
        int wanted = (int)Math.Clamp(multiplyAdds / Parallelism.MinWorkPerThread, 1, Math.Max(1, threads));
        int rowTiles = (m + mr - 1) / mr, columnTiles = (n + nr - 1) / nr;
        int rowBandTiles = (rowTiles + wanted - 1) / wanted, columnBandTiles = (columnTiles + wanted - 1) / wanted;
        long rowBusiest = (long)rowBandTiles * mr * n, columnBusiest = (long)columnBandTiles * nr * m;
        bool byRows = rowBusiest < columnBusiest;
        int bandTiles = byRows ? rowBandTiles : columnBandTiles;
        int tiles = byRows ? rowTiles : columnTiles;
        int parts = (tiles + bandTiles - 1) / bandTiles;
        return new GemmPartition(parts, byRows, bandTiles * (byRows ? mr : nr), m, n);
    }

    /// <summary>The block of C that part <paramref name="part"/> computes.</summary>
    public (int RowStart, int RowEnd, int ColumnStart, int ColumnEnd) Range(int part)
    {
        int start = part * Band;
        return ByRows ? (start, Math.Min(M, start + Band), 0, N) : (0, M, start, Math.Min(N, start + Band));
    }
}
