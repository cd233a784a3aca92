using System.Globalization;

namespace Convolve.Data;

/// <summary>
/// The normalisation a model's inputs need: every pixel x (already scaled to [0, 1]) becomes
/// (x − <see cref="Mean"/>) / <see cref="Std"/>, as torchvision's <c>Normalize</c>. A model is only
/// right on inputs normalised as its training data were, so <c>Model.Save</c> records it and
/// <c>convolve eval</c> and <c>predict</c> apply it.
/// </summary>
public sealed record InputNormalization
{
    /// <summary>Creates the normalisation after checking it.</summary>
    /// <exception cref="ArgumentException">The mean is not finite, or the standard deviation is not finite and positive.</exception>
    public InputNormalization(double mean, double std)
    {
        if (!double.IsFinite(mean))
        {
            throw new ArgumentException($"the normalisation mean must be finite but got {mean}", nameof(mean));
        }
        if (!double.IsFinite(std) || std <= 0)
        {
            throw new ArgumentException($"the normalisation standard deviation must be finite and positive but got {std}", nameof(std));
        }
        (Mean, Std) = (mean, std);
    }

    /// <summary>No change: mean 0, standard deviation 1 (pixels stay in [0, 1]).</summary>
    public static InputNormalization None { get; } = new(0, 1);

    /// <summary>The value subtracted from every pixel.</summary>
    public double Mean { get; }

    /// <summary>The value every pixel is divided by after subtracting the mean.</summary>
    public double Std { get; }

    /// <summary>Formats as <c>mean 0.286, std 0.353</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"mean {Mean:G6}, std {Std:G6}");
}
