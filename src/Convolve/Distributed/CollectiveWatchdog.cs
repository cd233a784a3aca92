using System.Diagnostics;
using System.Globalization;

namespace Convolve.Distributed;

/// <summary>
/// Bounds the time a rank waits in a collective. MPI has no timeout of its own: when a rank hangs
/// (or dies where the launcher does not notice, e.g. behind a lost network link) the others would
/// wait for ever. A background thread checks the collective in progress every tenth of the timeout;
/// one that has run for longer than the timeout is reported through the callback and this process
/// exits with <see cref="TimeoutExitCode"/>, which makes <c>mpirun</c> stop the remaining ranks.
/// </summary>
internal sealed class CollectiveWatchdog : IDisposable
{
    /// <summary>The exit code of a rank that gave up waiting for the others.</summary>
    public const int TimeoutExitCode = 3;

    private readonly int rank, size;
    private readonly long timeoutTicks;
    private readonly Action<string>? onTimeout;
    private readonly Thread thread;
    private readonly CancellationTokenSource stop = new();
    private long startedAt;
    private string operation = "";
    private long bytes;

    public CollectiveWatchdog(int rank, int size, TimeSpan timeout, Action<string>? onTimeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the collective timeout must be positive");
        }
        (this.rank, this.size, Timeout, this.onTimeout) = (rank, size, timeout, onTimeout);
        timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        thread = new Thread(Watch) { IsBackground = true, Name = "collective watchdog" };
        thread.Start();
    }

    /// <summary>How long one collective may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Marks the start of a collective; disposing the result marks its end.</summary>
    public Scope Watch(string name, long size)
    {
        (operation, bytes) = (name, size);
        Volatile.Write(ref startedAt, Stopwatch.GetTimestamp());
        return new Scope(this);
    }

    public void Dispose()
    {
        stop.Cancel();
        thread.Join();
        stop.Dispose();
    }

    private void Watch()
    {
        var interval = TimeSpan.FromTicks(Math.Clamp(Timeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        while (!stop.Token.WaitHandle.WaitOne(interval))
        {
            long started = Volatile.Read(ref startedAt);
            if (started != 0 && Stopwatch.GetTimestamp() - started > timeoutTicks)
            {
                onTimeout?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"rank {rank} of {size}: {operation} of {bytes:N0} bytes did not complete within {Timeout.TotalSeconds:G} s: another rank has died or hangs; stopping this rank (exit code {TimeoutExitCode})"));
                Environment.Exit(TimeoutExitCode);
            }
        }
    }

    /// <summary>Ends the watch of one collective.</summary>
    public readonly struct Scope(CollectiveWatchdog owner) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref owner.startedAt, 0);
    }
}
