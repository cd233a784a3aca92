namespace Convolve.Bench;

/// <summary>The timing of one benchmark: seconds per operation over the timed runs.</summary>
internal sealed record Measurement(double Median, double Min, double Max, int Runs, int OperationsPerRun)
{
    /// <summary>Throughput in GFLOP/s for an operation of <paramref name="flops"/> floating-point operations: median, best, worst.</summary>
    public (double Median, double Max, double Min) GigaFlops(double flops) =>
        (flops / Median / 1e9, flops / Min / 1e9, flops / Max / 1e9);
}
