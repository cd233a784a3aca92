using System.Diagnostics;

namespace Convolve.Bench;

/// <summary>
/// A small timing harness: warms the operation up (so the JIT has reached full tier and the
/// buffers are allocated and touched), then times a number of runs and reports median, min and max
/// per operation. A run repeats the operation until it lasts at least <see cref="MinRunSeconds"/>,
/// so microsecond-sized operations are timed above the clock's resolution.
/// </summary>
internal sealed class Benchmark
{
    /// <summary>Timed runs after warm-up (the median of at least 20 is reported).</summary>
    public int Runs { get; init; } = 21;

    /// <summary>Warm-up time before timing.</summary>
    public double WarmupSeconds { get; init; } = 0.3;

    /// <summary>The shortest duration of one timed run.</summary>
    public double MinRunSeconds { get; init; } = 0.005;

    /// <summary>Measures <paramref name="operation"/>.</summary>
    public Measurement Measure(Action operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        int repetitions = WarmUp(operation);
        var seconds = new double[Runs];
        for (int run = 0; run < Runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < repetitions; i++)
            {
                operation();
            }
            seconds[run] = Stopwatch.GetElapsedTime(start).TotalSeconds / repetitions;
        }
        Array.Sort(seconds);
        double median = Runs % 2 == 1 ? seconds[Runs / 2] : (seconds[Runs / 2 - 1] + seconds[Runs / 2]) / 2;
        return new Measurement(median, seconds[0], seconds[^1], Runs, repetitions);
    }

    /// <summary>Runs the operation for the warm-up time (at least three times) and returns the repetitions per run.</summary>
    private int WarmUp(Action operation)
    {
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (calls < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < WarmupSeconds)
        {
            operation();
            calls++;
        }
        double perCall = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        return (int)Math.Clamp(Math.Ceiling(MinRunSeconds / perCall), 1, 1_000_000);
    }
}
