using System.Globalization;

namespace Convolve.Data;

/// <summary>
/// The normalisation a model's inputs need: every pixel x of channel c (already scaled to [0, 1])
/// becomes (x − mean[c]) / std[c], as torchvision's <c>Normalize</c>; one value serves every
/// channel (a gray set, or a normalisation computed over all pixels). A model is only right on
/// inputs normalised as its training data were, so <c>Model.Save</c> records it and
/// <c>convolve eval</c> and <c>predict</c> apply it.
/// </summary>
public sealed record InputNormalization
{
    private readonly double[] means;
    private readonly double[] stds;

    /// <summary>One mean and standard deviation for every channel, after checking them.</summary>
    /// <exception cref="ArgumentException">The mean is not finite, or the standard deviation is not finite and positive.</exception>
    public InputNormalization(double mean, double std)
        : this([mean], [std])
    {
    }

    /// <summary>A mean and standard deviation per channel, after checking them.</summary>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, a mean is not finite, or a standard deviation is not finite and positive.</exception>
    public InputNormalization(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
        {
            throw new ArgumentException($"the normalisation needs one standard deviation per mean, at least one, but got {mean.Length} means and {std.Length} standard deviations", nameof(mean));
        }
        foreach (double m in mean.Where(m => !double.IsFinite(m)))
        {
            throw new ArgumentException($"the normalisation mean must be finite but got {m}", nameof(mean));
        }
        foreach (double s in std.Where(s => !double.IsFinite(s) || s <= 0))
        {
            throw new ArgumentException($"the normalisation standard deviation must be finite and positive but got {s}", nameof(std));
        }
        (means, stds) = ((double[])mean.Clone(), (double[])std.Clone());
    }

    /// <summary>No change: mean 0, standard deviation 1 (pixels stay in [0, 1]).</summary>
    public static InputNormalization None { get; } = new(0, 1);

    /// <summary>The value subtracted from every pixel (the first channel's when <see cref="Means"/> has several).</summary>
    public double Mean => means[0];

    /// <summary>The value every pixel is divided by after subtracting the mean (the first channel's when <see cref="Stds"/> has several).</summary>
    public double Std => stds[0];

    /// <summary>The mean of each channel, or one for all.</summary>
    public IReadOnlyList<double> Means => means;

    /// <summary>The standard deviation of each channel, or one for all.</summary>
    public IReadOnlyList<double> Stds => stds;

    /// <summary>The means and standard deviations of <paramref name="channels"/> channels: one value repeated, or the list when its length matches.</summary>
    /// <exception cref="ArgumentException">A per-channel normalisation for another number of channels.</exception>
    public (double[] Mean, double[] Std) For(int channels)
    {
        if (means.Length == 1)
        {
            return (Enumerable.Repeat(means[0], channels).ToArray(), Enumerable.Repeat(stds[0], channels).ToArray());
        }
        return means.Length == channels
            ? ((double[])means.Clone(), (double[])stds.Clone())
            : throw new ArgumentException($"the normalisation has {means.Length} channels but the input has {channels}", nameof(channels));
    }

    /// <summary>Value equality over every channel's mean and standard deviation.</summary>
    public bool Equals(InputNormalization? other) => other is not null && means.SequenceEqual(other.means) && stds.SequenceEqual(other.stds);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(means.Length, means[0], stds[0]);

    /// <summary>Formats as <c>mean 0.286, std 0.353</c>, or with a list per channel.</summary>
    public override string ToString() => $"mean {Show(means)}, std {Show(stds)}";

    private static string Show(double[] values) => values.Length == 1
        ? values[0].ToString("G6", CultureInfo.InvariantCulture)
        : "[" + string.Join(", ", values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]";
}
