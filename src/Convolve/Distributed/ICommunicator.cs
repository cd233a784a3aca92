namespace Convolve.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over a fixed group of
/// <see cref="Size"/> ranks numbered 0 to Size − 1. Every rank calls the same operations in the
/// same order with the same lengths (MPI's rule for collectives). <see cref="MpiCommunicator"/>
/// runs them between processes; <see cref="LocalCommunicator"/> is the group of one.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This rank's number, 0 to <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>The number of ranks.</summary>
    int Size { get; }

    /// <summary>
    /// Every rank contributes <paramref name="send"/> (the same length on all) and receives all the
    /// contributions in rank order: <paramref name="receive"/> holds <c>Size × send.Length</c> values,
    /// rank r's at <c>[r·send.Length, (r + 1)·send.Length)</c>.
    /// </summary>
    void Allgather(ReadOnlySpan<float> send, Span<float> receive);

    /// <summary>As the float overload, for doubles.</summary>
    void Allgather(ReadOnlySpan<double> send, Span<double> receive);

    /// <summary>As the float overload, for bytes.</summary>
    void Allgather(ReadOnlySpan<byte> send, Span<byte> receive);

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over the ranks (in an order MPI chooses).</summary>
    void AllreduceSum(Span<double> values);

    /// <summary>As the double overload, for floats.</summary>
    void AllreduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise maximum over the ranks.</summary>
    void AllreduceMax(Span<double> values);

    /// <summary>Copies <paramref name="values"/> from rank <paramref name="root"/> to every other rank.</summary>
    void Broadcast(Span<float> values, int root);

    /// <summary>As the float overload, for bytes.</summary>
    void Broadcast(Span<byte> values, int root);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every rank of the job at once with <paramref name="exitCode"/> (MPI_Abort); does not return.</summary>
    void Abort(int exitCode);
}
