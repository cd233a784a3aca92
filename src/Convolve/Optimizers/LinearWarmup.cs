namespace Convolve.Optimizers;

/// <summary>
/// Raises the rate linearly over the first <see cref="WarmupSteps"/> steps, then follows
/// <see cref="Then"/> started afresh: <c>lr(t) = base·(t + 1)/W</c> for <c>t &lt; W</c>, else
/// <c>then(t − W)</c>. In PyTorch this is <c>SequentialLR([LinearLR(start_factor=1/W,
/// end_factor=1, total_iters=W−1), then], milestones=[W])</c>.
/// </summary>
public sealed class LinearWarmup : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="warmupSteps"/> = 0 means no warm-up.</summary>
    /// <exception cref="ArgumentException"><paramref name="warmupSteps"/> is negative.</exception>
    public LinearWarmup(int warmupSteps, LearningRateSchedule then)
    {
        ArgumentNullException.ThrowIfNull(then);
        if (warmupSteps < 0)
        {
            throw new ArgumentException($"warmupSteps must be non-negative but got {warmupSteps}", nameof(warmupSteps));
        }
        WarmupSteps = warmupSteps;
        Then = then;
    }

    /// <summary>The number of warm-up steps (W).</summary>
    public int WarmupSteps { get; }

    /// <summary>The schedule followed after the warm-up, from its own step 0.</summary>
    public LearningRateSchedule Then { get; }

    /// <inheritdoc/>
    protected override double Compute(int stepNumber, double baseLearningRate) =>
        stepNumber < WarmupSteps
            ? baseLearningRate * (stepNumber + 1) / WarmupSteps
            : Then.LearningRate(stepNumber - WarmupSteps, baseLearningRate);
}
