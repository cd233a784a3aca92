using System.Diagnostics;
using System.Globalization;

namespace Convolve.Tests.Fuzzing;

/// <summary>
/// Counts what a fuzz run's mutants did (loaded, or refused with which exception type) and
/// enforces the limits every load must keep: at most <see cref="MaxMilliseconds"/> per load (no
/// hang), and no allocation far beyond the input's size.
/// </summary>
internal sealed class FuzzTally(string what)
{
    /// <summary>A load that takes longer is taken for a hang (the longest seen is reported).</summary>
    public const int MaxMilliseconds = 5_000;

    private readonly Dictionary<string, int> outcomes = new(StringComparer.Ordinal);
    private (long Allocated, long Size) largest;
    private long slowest;

    public int Count => outcomes.Values.Sum();

    public int this[string outcome] => outcomes.GetValueOrDefault(outcome);

    /// <summary>
    /// Runs <paramref name="load"/> and returns the exception it threw (null when it loaded); any
    /// type not in <paramref name="allowed"/>, a hang, or an allocation above
    /// <paramref name="factor"/> × <paramref name="size"/> + <paramref name="slack"/> bytes fails the test.
    /// </summary>
    public Exception? Run(Action load, long size, double factor, long slack, Type[] allowed, Func<string> where)
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? refused = null;
        try
        {
            load();
        }
        catch (Exception e) when (allowed.Contains(e.GetType()))
        {
            refused = e;
        }
        catch (Exception e)
        {
            Assert.Fail($"{where()}: {e.GetType().Name} escaped, not one of {string.Join(", ", allowed.Select(t => t.Name))}: {e}");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= factor * size + slack, $"{where()}: {allocated:N0} bytes allocated for {size:N0} bytes of input");
        Assert.True(clock.ElapsedMilliseconds <= MaxMilliseconds, $"{where()}: took {clock.ElapsedMilliseconds} ms");
        largest = allocated > largest.Allocated ? (allocated, size) : largest;
        slowest = Math.Max(slowest, clock.ElapsedMilliseconds);
        string outcome = refused is null ? "loaded" : $"refused ({refused.GetType().Name})";
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        return refused;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{what}: {Count:N0} mutants, {string.Join(", ", outcomes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value:N0} {p.Key}"))}; "
        + $"largest allocation {largest.Allocated:N0} bytes (for {largest.Size:N0} bytes of input), slowest {slowest} ms");
}
