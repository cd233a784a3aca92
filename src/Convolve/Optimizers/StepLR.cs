namespace Convolve.Optimizers;

/// <summary>
/// Multiplies the rate by <see cref="Gamma"/> every <see cref="StepSize"/> steps, as PyTorch's
/// <c>StepLR</c>: <c>lr(t) = base · γ^⌊t / stepSize⌋</c>. PyTorch's chainable form multiplies the
/// current rate by γ at each boundary, which equals this closed form up to rounding.
/// </summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException"><paramref name="stepSize"/> is not positive or <paramref name="gamma"/> is NaN, infinite or negative.</exception>
    public StepLR(int stepSize, double gamma = 0.1)
    {
        StepSize = HyperParameter.Positive(stepSize, nameof(stepSize));
        Gamma = HyperParameter.NonNegative(gamma, nameof(gamma));
    }

    /// <summary>The number of steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double Compute(int stepNumber, double baseLearningRate) =>
        baseLearningRate * Math.Pow(Gamma, stepNumber / StepSize);
}
