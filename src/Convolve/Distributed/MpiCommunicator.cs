using System.Text;

namespace Convolve.Distributed;

/// <summary>
/// <see cref="ICommunicator"/> over Open MPI's <c>MPI_COMM_WORLD</c>, for processes started by
/// <c>mpirun</c> (a process started alone is a world of one). Errors come back as codes
/// (<c>MPI_ERRORS_RETURN</c>) and become <see cref="CommunicationException"/>s naming the operation
/// and MPI's own message. Every collective runs under a <see cref="CollectiveWatchdog"/>: one that
/// has not completed within the timeout (a rank died or hangs) ends this process with a message
/// instead of waiting for ever. Only the thread that created it may call it (MPI_THREAD_FUNNELED).
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    private readonly MpiNative.Functions mpi;
    private readonly CollectiveWatchdog watchdog;
    private bool finalized;

    private MpiCommunicator(MpiNative.Functions mpi, int rank, int size, CollectiveWatchdog watchdog)
    {
        (this.mpi, Rank, Size, this.watchdog) = (mpi, rank, size, watchdog);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>The libmpi file that was loaded.</summary>
    public string LibraryName => mpi.LibraryName;

    /// <summary>
    /// Loads libmpi, initialises MPI (once per process) and returns the world. A collective that has
    /// not completed after <paramref name="timeout"/> calls <paramref name="onTimeout"/> with a message
    /// (to print it) and ends this process with exit code <see cref="CollectiveWatchdog.TimeoutExitCode"/>,
    /// which makes mpirun stop the other ranks.
    /// </summary>
    /// <exception cref="MpiUnavailableException">libmpi is missing or is not Open MPI's.</exception>
    /// <exception cref="CommunicationException">MPI could not be initialised.</exception>
    public static MpiCommunicator Initialize(TimeSpan timeout, Action<string>? onTimeout = null)
    {
        MpiNative.Functions mpi = MpiNative.Api;
        int initialized = 0, provided = 0, rank = 0, size = 0;
        Check(mpi, mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized != 0)
        {
            throw new CommunicationException("MPI was already initialised in this process; create one MpiCommunicator per process");
        }
        Check(mpi, mpi.InitThread(null, 0, MpiNative.ThreadFunneled, &provided), "MPI_Init_thread");
        Check(mpi, mpi.CommSetErrhandler(mpi.CommWorld, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        Check(mpi, mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(mpi, mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return new MpiCommunicator(mpi, rank, size, new CollectiveWatchdog(rank, size, timeout, onTimeout));
    }

    /// <inheritdoc/>
    public void Allgather(ReadOnlySpan<float> send, Span<float> receive)
    {
        RequireGatherLength(send.Length, receive.Length);
        fixed (float* s = send, r = receive)
        {
            Allgather(s, r, send.Length, mpi.Float, sizeof(float));
        }
    }

    /// <inheritdoc/>
    public void Allgather(ReadOnlySpan<double> send, Span<double> receive)
    {
        RequireGatherLength(send.Length, receive.Length);
        fixed (double* s = send, r = receive)
        {
            Allgather(s, r, send.Length, mpi.Double, sizeof(double));
        }
    }

    /// <inheritdoc/>
    public void Allgather(ReadOnlySpan<byte> send, Span<byte> receive)
    {
        RequireGatherLength(send.Length, receive.Length);
        fixed (byte* s = send, r = receive)
        {
            Allgather(s, r, send.Length, mpi.Byte, 1);
        }
    }

    /// <inheritdoc/>
    public void AllreduceSum(Span<double> values)
    {
        fixed (double* v = values)
        {
            Allreduce(v, values.Length, mpi.Double, sizeof(double), mpi.Sum);
        }
    }

    /// <inheritdoc/>
    public void AllreduceSum(Span<float> values)
    {
        fixed (float* v = values)
        {
            Allreduce(v, values.Length, mpi.Float, sizeof(float), mpi.Sum);
        }
    }

    /// <inheritdoc/>
    public void AllreduceMax(Span<double> values)
    {
        fixed (double* v = values)
        {
            Allreduce(v, values.Length, mpi.Double, sizeof(double), mpi.Max);
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root)
    {
        fixed (float* v = values)
        {
            Broadcast(v, values.Length, mpi.Float, sizeof(float), root);
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> values, int root)
    {
        fixed (byte* v = values)
        {
            Broadcast(v, values.Length, mpi.Byte, 1, root);
        }
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        int code;
        using (watchdog.Watch("MPI_Barrier", 0))
        {
            code = mpi.Barrier(mpi.CommWorld);
        }
        Check(code, "MPI_Barrier", 0);
    }

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        watchdog.Dispose();
        mpi.Abort(mpi.CommWorld, exitCode);
        Environment.Exit(exitCode);
    }

    /// <summary>Finalizes MPI (every rank must); after a failed collective, use <see cref="Abort"/> instead.</summary>
    public void Dispose()
    {
        watchdog.Dispose();
        if (!finalized)
        {
            finalized = true;
            Check(mpi, mpi.Finalize(), "MPI_Finalize");
        }
    }

    /// <summary>MPI_IN_PLACE in Open MPI: <c>(void *) 1</c>.</summary>
    private static void* InPlace => (void*)1;

    private void Allgather(void* send, void* receive, int count, nint type, int size)
    {
        int code;
        using (watchdog.Watch("MPI_Allgather", (long)count * size))
        {
            code = mpi.Allgather(send, count, type, receive, count, type, mpi.CommWorld);
        }
        Check(code, "MPI_Allgather", (long)count * size);
    }

    private void Allreduce(void* values, int count, nint type, int size, nint op)
    {
        int code;
        using (watchdog.Watch("MPI_Allreduce", (long)count * size))
        {
            code = mpi.Allreduce(InPlace, values, count, type, op, mpi.CommWorld);
        }
        Check(code, "MPI_Allreduce", (long)count * size);
    }

    private void Broadcast(void* values, int count, nint type, int size, int root)
    {
        RequireRank(root);
        int code;
        using (watchdog.Watch("MPI_Bcast", (long)count * size))
        {
            code = mpi.Bcast(values, count, type, root, mpi.CommWorld);
        }
        Check(code, "MPI_Bcast", (long)count * size);
    }

    /// <summary>Turns a collective's error code into a <see cref="CommunicationException"/> naming it, its size and this rank.</summary>
    private void Check(int code, string operation, long bytes) => Check(mpi, code, $"{operation} of {bytes:N0} bytes on rank {Rank} of {Size}");

    private static void Check(MpiNative.Functions mpi, int code, string operation)
    {
        if (code != MpiNative.Success)
        {
            throw new CommunicationException($"{operation} failed with MPI error {code}: {ErrorText(mpi, code)}");
        }
    }

    private static string ErrorText(MpiNative.Functions mpi, int code)
    {
        byte* text = stackalloc byte[MpiNative.MaxErrorString];
        int length = 0;
        return mpi.ErrorString(code, text, &length) == MpiNative.Success
            ? Encoding.ASCII.GetString(text, Math.Clamp(length, 0, MpiNative.MaxErrorString))
            : "no description";
    }

    private void RequireRank(int root)
    {
        if (root < 0 || root >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"the root must be a rank from 0 to {Size - 1}");
        }
    }

    private void RequireGatherLength(int send, int receive)
    {
        if ((long)send * Size != receive)
        {
            throw new ArgumentException($"Allgather over {Size} ranks of {send} values each needs a receive buffer of {(long)send * Size} but got {receive}", nameof(receive));
        }
    }
}
