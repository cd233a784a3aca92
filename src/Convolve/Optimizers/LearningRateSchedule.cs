namespace Convolve.Optimizers;

/// <summary>
/// A learning-rate schedule as a pure function of the step (PyTorch's <c>last_epoch</c>) and the
/// base rate, in closed form, so that resuming at any step gives exactly the rate an uninterrupted
/// run would have used. The caller sets <c>optimizer.LearningRate = schedule.LearningRate(step, baseRate)</c>
/// before each step.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="step"/> (0 = before any scheduler step).</summary>
    /// <exception cref="ArgumentException">The step is negative, or the base rate is NaN, infinite or negative.</exception>
    public double LearningRate(int step, double baseLearningRate)
    {
        if (step < 0)
        {
            throw new ArgumentException($"step must be non-negative but got {step}", nameof(step));
        }
        HyperParameter.NonNegative(baseLearningRate, nameof(baseLearningRate));
        return Compute(step, baseLearningRate);
    }

    /// <summary>The rate for a validated step number (≥ 0) and base rate.</summary>
    protected abstract double Compute(int stepNumber, double baseLearningRate);
}
