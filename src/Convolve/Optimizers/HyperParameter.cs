namespace Convolve.Optimizers;

/// <summary>
/// Validation of optimizer and schedule hyper-parameters. Every failure is an
/// <see cref="ArgumentException"/> whose parameter name and message give the argument and its value.
/// </summary>
internal static class HyperParameter
{
    /// <summary>Requires a finite value ≥ 0 (learning rate, momentum, dampening, weight decay, epsilon).</summary>
    public static double NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentException($"{name} must be a finite non-negative number but got {value}", name);
        }
        return value;
    }

    /// <summary>Requires a value in [0, 1), the range in which an exponential moving average decays.</summary>
    public static double Beta(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentException($"{name} must be in [0, 1) but got {value}", name);
        }
        return value;
    }

    /// <summary>Requires a positive count.</summary>
    public static int Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be positive but got {value}", name);
        }
        return value;
    }
}
