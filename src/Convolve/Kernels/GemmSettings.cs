namespace Convolve.Kernels;

/// <summary>
/// Everything the managed GEMM could choose differently: SIMD level, thread count and blocking.
/// <see cref="Gemm.Multiply"/> uses the process-wide choice; tests pass their own to run every
/// microkernel in one process and to shrink the blocks until every edge is reached.
/// </summary>
internal readonly record struct GemmSettings(SimdLevel Level, int Threads, GemmBlocking Blocking)
{
    /// <summary>The level's default blocking with the given level and thread count.</summary>
    public static GemmSettings For(SimdLevel level, int threads) => new(level, threads, GemmBlocking.For(level));
}
