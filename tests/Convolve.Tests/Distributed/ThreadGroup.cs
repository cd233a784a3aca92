using Convolve.Distributed;
using Convolve.Kernels;

namespace Convolve.Tests.Distributed;

/// <summary>
/// Ranks as threads of the test process, for testing what runs over a communicator without MPI:
/// <see cref="Run"/> starts one thread per rank (each kernel it calls stays on that thread) and
/// rethrows the first failure. Collectives meet at a barrier that gives up after a minute.
/// </summary>
internal sealed class ThreadGroup
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly Barrier barrier;
    private readonly object?[] slots;

    private ThreadGroup(int size) => (barrier, slots) = (new Barrier(size), new object?[size]);

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> ranks and returns their results in rank order.</summary>
    public static T[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var group = new ThreadGroup(size);
        var results = new T[size];
        var failures = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() =>
        {
            try
            {
                Parallelism.RunAsPart(() => results[rank] = body(new Member(group, rank)));
            }
            catch (Exception ex)
            {
                failures[rank] = ex;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw new AggregateException(failure);
        }
        return results;
    }

    /// <summary>Every rank's contribution, in rank order.</summary>
    private T[][] Exchange<T>(int rank, T[] mine)
    {
        slots[rank] = mine;
        Meet();
        var all = slots.Select(s => (T[])s!).ToArray();
        Meet();
        return all;
    }

    private void Meet()
    {
        if (!barrier.SignalAndWait(Patience))
        {
            throw new TimeoutException("a rank did not reach the collective");
        }
    }

    private sealed class Member(ThreadGroup group, int rank) : ICommunicator
    {
        public int Rank => rank;

        public int Size => group.slots.Length;

        public void Allgather(ReadOnlySpan<float> send, Span<float> receive) => Concatenate(group.Exchange(rank, send.ToArray()), receive);

        public void Allgather(ReadOnlySpan<double> send, Span<double> receive) => Concatenate(group.Exchange(rank, send.ToArray()), receive);

        public void Allgather(ReadOnlySpan<byte> send, Span<byte> receive) => Concatenate(group.Exchange(rank, send.ToArray()), receive);

        public void AllreduceSum(Span<double> values) => Reduce(values, (a, b) => a + b);

        public void AllreduceSum(Span<float> values) => Reduce(values, (a, b) => a + b);

        public void AllreduceMax(Span<double> values) => Reduce(values, Math.Max);

        public void Broadcast(Span<float> values, int root) => group.Exchange(rank, values.ToArray())[root].CopyTo(values);

        public void Broadcast(Span<byte> values, int root) => group.Exchange(rank, values.ToArray())[root].CopyTo(values);

        public void Barrier() => group.Exchange(rank, Array.Empty<byte>());

        public void Abort(int exitCode) => throw new InvalidOperationException($"rank {rank} aborted with {exitCode}");

        public void Dispose()
        {
        }

        private static void Concatenate<T>(T[][] all, Span<T> receive)
        {
            Assert.Equal(all.Sum(a => a.Length), receive.Length);
            int at = 0;
            foreach (T[] part in all)
            {
                part.CopyTo(receive[at..]);
                at += part.Length;
            }
        }

        private void Reduce<T>(Span<T> values, Func<T, T, T> combine)
        {
            var all = group.Exchange(rank, values.ToArray());
            for (int i = 0; i < values.Length; i++)
            {
                T total = all[0][i];
                for (int r = 1; r < all.Length; r++)
                {
                    total = combine(total, all[r][i]);
                }
                values[i] = total;
            }
        }
    }
}
