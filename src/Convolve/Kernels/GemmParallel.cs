namespace Convolve.Kernels;

/// <summary>
/// Runs the BLIS driver on one or more threads. Each part packs its own panels in its own thread's
/// workspace, so the parts share nothing but the read-only inputs. A GEMM called from inside a
/// part (a kernel that itself runs in parallel) stays on its thread rather than oversubscribe.
/// </summary>
internal static class GemmParallel
{
    [ThreadStatic]
    private static bool insidePart;

    /// <summary>True on a thread that already runs one part of a parallel job: work started there stays on it.</summary>
    public static bool IsInsidePart => insidePart;

    /// <summary>Runs <paramref name="action"/> with every GEMM (and image loop) it starts kept on the calling thread.</summary>
    public static void RunSerial(Action action)
    {
        bool wasInside = insidePart;
        insidePart = true;
        try
        {
            action();
        }
        finally
        {
            insidePart = wasInside;
        }
    }

    /// <summary>Computes all of C with up to <paramref name="threads"/> threads.</summary>
    public static void Run<TKernel>(GemmOperands operands, GemmBlocking blocking, int m, int n, int threads)
        where TKernel : struct, IGemmMicrokernel
    {
        GemmPartition partition = GemmPartition.Choose(m, n, operands.K, TKernel.MR, TKernel.NR, insidePart ? 1 : threads);
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
        var options = new ParallelOptions { MaxDegreeOfParallelism = partition.Parts };
        Parallel.For(0, partition.Parts, options, part =>
        {
            bool wasInside = insidePart;
            insidePart = true;
            try
            {
                var (rowStart, rowEnd, columnStart, columnEnd) = partition.Range(part);
                GemmDriver.Run<TKernel>(operands, blocking, rowStart, rowEnd, columnStart, columnEnd);
            }
            finally
            {
                insidePart = wasInside;
            }
        });
    }
}
