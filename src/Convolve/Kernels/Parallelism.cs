namespace Convolve.Kernels;

/// <summary>
/// The one owner of threading in Convolve: how many threads the kernels may use
/// (<see cref="MaxThreads"/>, from <c>CONVOLVE_THREADS</c> or set by the caller), when work is worth
/// splitting (one threshold, <see cref="MinWorkPerThread"/>), and how it is split (<see cref="For"/>:
/// contiguous blocks, one per thread). GEMM, convolution, batch normalisation and pooling all go
/// through it. Work started from inside a parallel part stays on that thread, so nested kernels never
/// oversubscribe the cores. Callers split work so that every output element is computed by one
/// thread in a fixed order, which keeps results bit-identical for any thread count.
/// </summary>
public static class Parallelism
{
    /// <summary>Environment variable that caps the thread count (a positive integer).</summary>
    public const string EnvironmentVariable = "CONVOLVE_THREADS";

    /// <summary>
    /// Less work than this per thread is not worth waking a thread for. A unit is one multiply-add
    /// or one element moved; 2¹⁹ of them take 5–50 µs on one core, the order of the cost of handing
    /// work to the thread pool.
    /// </summary>
    public const long MinWorkPerThread = 1L << 19;

    [ThreadStatic]
    private static bool insidePart;

    private static string? threadsError;
    private static int maxThreads;

    static Parallelism()
    {
        maxThreads = ParseThreads(Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.ProcessorCount, out threadsError);
    }

    /// <summary>
    /// The most threads a kernel may use: <c>CONVOLVE_THREADS</c> if set, otherwise
    /// <see cref="Environment.ProcessorCount"/>. Small jobs use fewer.
    /// </summary>
    /// <exception cref="InvalidOperationException">Reading it when <c>CONVOLVE_THREADS</c> is not a positive integer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Setting a value below 1.</exception>
    public static int MaxThreads
    {
        get => threadsError is null ? Volatile.Read(ref maxThreads) : throw new InvalidOperationException(threadsError);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Parallelism.MaxThreads must be at least 1 but got {value}");
            }
            threadsError = null;
            Volatile.Write(ref maxThreads, value);
        }
    }

    /// <summary>
    /// Sets <see cref="MaxThreads"/> to <paramref name="threads"/> until the returned scope is disposed, which
    /// restores what it was (a <c>CONVOLVE_THREADS</c> error included). For the one owner of a process's thread
    /// count, such as the <c>convolve</c> tool's entry point: the setting is process-wide, not per thread, so
    /// scopes nest but must not overlap from concurrent callers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static IDisposable Use(int threads)
    {
        var scope = new ThreadCountScope(Volatile.Read(ref maxThreads), threadsError);
        MaxThreads = threads;
        return scope;
    }

    /// <summary>True on a thread that already runs one part of a parallel job: work started there stays on it.</summary>
    internal static bool IsInsidePart => insidePart;

    /// <summary>
    /// The threads worth using for <paramref name="work"/> units split into at most
    /// <paramref name="items"/> pieces: 1 inside a parallel part, else at most <see cref="MaxThreads"/>
    /// and at least <see cref="MinWorkPerThread"/> units each.
    /// </summary>
    public static int PartsFor(long work, int items) =>
        insidePart ? 1 : (int)Math.Clamp(work / MinWorkPerThread, 1, Math.Max(1, Math.Min(MaxThreads, items)));

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over contiguous blocks of <c>[0, count)</c>, one block
    /// per thread (<see cref="PartsFor"/> decides how many), and returns when all are done. With one
    /// part the body runs on the calling thread.
    /// </summary>
    /// <param name="count">Number of independent items.</param>
    /// <param name="workPerItem">Work units of one item (multiply-adds or elements moved).</param>
    /// <param name="body">Computes items start … end − 1.</param>
    public static void For(int count, long workPerItem, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        int parts = count <= 0 ? 1 : PartsFor(workPerItem * count, count);
        if (parts <= 1)
        {
            body(0, Math.Max(count, 0));
            return;
        }
        RunParts(parts, part => body((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts)));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(part) for parts 0 … <paramref name="parts"/> − 1 on up to that many threads, each as
    /// a parallel part (work it starts stays on its thread): the one place threads are started, for a caller that
    /// has cut its work itself (GEMM's two-dimensional partition). One part, or a call inside a part, runs in order here.
    /// </summary>
    internal static void RunParts(int parts, Action<int> body)
    {
        if (parts <= 1 || insidePart)
        {
            for (int part = 0; part < parts; part++)
            {
                body(part);
            }
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part => RunAsPart(() => body(part)));
    }

    /// <summary>Runs <paramref name="action"/> as one part of a parallel job: every kernel it starts stays on this thread.</summary>
    internal static void RunAsPart(Action action)
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

    /// <summary>What <see cref="Use"/> replaced, put back once.</summary>
    private sealed class ThreadCountScope(int previous, string? previousError) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            Volatile.Write(ref maxThreads, previous);
            threadsError = previousError;
        }
    }

    /// <summary>
    /// Parses a <c>CONVOLVE_THREADS</c> value: missing or empty gives <paramref name="fallback"/>;
    /// anything but a positive integer sets <paramref name="error"/>.
    /// </summary>
    internal static int ParseThreads(string? value, int fallback, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        if (int.TryParse(value.Trim(), out int threads) && threads >= 1)
        {
            return threads;
        }
        error = $"{EnvironmentVariable}=\"{value}\" must be a positive integer (the most threads Convolve may use)";
        return fallback;
    }
}
