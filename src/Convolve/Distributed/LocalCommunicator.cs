namespace Convolve.Distributed;

/// <summary>
/// The group of one process: every collective is a copy or nothing. Training through it computes
/// exactly what a group of several ranks computes (the same shards, summed in the same order), so a
/// one-process run reproduces a distributed one without MPI.
/// </summary>
public sealed class LocalCommunicator : ICommunicator
{
    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public void Allgather(ReadOnlySpan<float> send, Span<float> receive) => Copy(send, receive);

    /// <inheritdoc/>
    public void Allgather(ReadOnlySpan<double> send, Span<double> receive) => Copy(send, receive);

    /// <inheritdoc/>
    public void Allgather(ReadOnlySpan<byte> send, Span<byte> receive) => Copy(send, receive);

    /// <inheritdoc/>
    public void AllreduceSum(Span<double> values)
    {
    }

    /// <inheritdoc/>
    public void AllreduceSum(Span<float> values)
    {
    }

    /// <inheritdoc/>
    public void AllreduceMax(Span<double> values)
    {
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root) => RequireRoot(root);

    /// <inheritdoc/>
    public void Broadcast(Span<byte> values, int root) => RequireRoot(root);

    /// <inheritdoc/>
    public void Barrier()
    {
    }

    /// <inheritdoc/>
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private static void Copy<T>(ReadOnlySpan<T> send, Span<T> receive)
    {
        if (receive.Length != send.Length)
        {
            throw new ArgumentException($"Allgather over 1 rank needs a receive buffer of {send.Length} values but got {receive.Length}", nameof(receive));
        }
        send.CopyTo(receive);
    }

    private static void RequireRoot(int root)
    {
        if (root != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, "the only rank of a local group is 0");
        }
    }
}
