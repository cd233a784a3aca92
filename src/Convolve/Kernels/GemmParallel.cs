namespace Convolve.Kernels;

/// <summary>
/// Runs the BLIS driver on one or more threads. Each part packs its own panels in its own thread's
/// workspace, so the parts share nothing but the read-only inputs. The thread count and the nesting
/// rule (a GEMM called from inside a parallel part stays on its thread) are <see cref="Parallelism"/>'s.
/// </summary>
internal static class GemmParallel
{
    /// <summary>Computes all of C with up to <paramref name="threads"/> threads.</summary>
    public static void Run<TKernel>(GemmOperands operands, GemmBlocking blocking, int m, int n, int threads)
        where TKernel : struct, IGemmMicrokernel
    {
        GemmPartition partition = GemmPartition.Choose(m, n, operands.K, TKernel.MR, TKernel.NR, Parallelism.IsInsidePart ? 1 : threads);
        if (partition.Parts == 1)
        {
            GemmDriver.Run<TKernel>(operands, blocking, 0, m, 0, n);
            return;
        }
        RunParts<TKernel>(operands, blocking, partition);
    }

    /// <summary>The parallel case, kept apart so that the single-threaded path allocates no closure.</summary>
    private static void RunParts<TKernel>(GemmOperands operands, GemmBlocking blocking, GemmPartition partition)
        where TKernel : struct, IGemmMicrokernel
    {
        Parallelism.RunParts(partition.Parts, part =>
        {
            var (rowStart, rowEnd, columnStart, columnEnd) = partition.Range(part);
            GemmDriver.Run<TKernel>(operands, blocking, rowStart, rowEnd, columnStart, columnEnd);
        });
    }
}
