namespace Convolve.Optimizers;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, SGDR, without restarts), as PyTorch's
/// <c>CosineAnnealingLR</c>: <c>lr(t) = ηmin + (base − ηmin)·(1 + cos(π·t / tMax)) / 2</c>.
/// </summary>
/// <remarks>
/// PyTorch computes the rate recursively: <c>lr(t) = ηmin + (lr(t−1) − ηmin)·(1 + cos(πt/T)) / (1 + cos(π(t−1)/T))</c>,
/// which telescopes to the closed form above, and where its denominator would be zero
/// (<c>(t − 1 − T) mod 2T = 0</c>) it adds <c>(base − ηmin)(1 − cos(π/T))/2</c> to <c>lr(t−1) = ηmin</c>,
/// which is again the closed form. So the two agree up to rounding at every step, including past
/// <c>tMax</c>, where the rate rises again along the same cosine (period <c>2·tMax</c>) in both.
/// </remarks>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException"><paramref name="tMax"/> is not positive or <paramref name="etaMin"/> is NaN, infinite or negative.</exception>
    public CosineAnnealingLR(int tMax, double etaMin = 0)
    {
        TMax = HyperParameter.Positive(tMax, nameof(tMax));
        EtaMin = HyperParameter.NonNegative(etaMin, nameof(etaMin));
    }

    /// <summary>The number of steps from the base rate down to <see cref="EtaMin"/> (half a period).</summary>
    public int TMax { get; }

    /// <summary>The lowest rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    protected override double Compute(int stepNumber, double baseLearningRate) =>
        EtaMin + (baseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * stepNumber / TMax)) / 2;
}
