using System.Runtime.CompilerServices;

namespace Convolve.Data;

/// <content>Per-channel normalisation, as torchvision's <c>Normalize(mean, std)</c> with one value per channel (RGB sets).</content>
public sealed partial class Dataset
{
    private double[]? channelMeans;
    private double[]? channelStds;

    private float[]? zeroPixels;
    private (bool, double, double) zeroPixelsFor;

    /// <summary>
    /// The value a black (zero) source pixel has now in each channel: 0, or −mean/std of the
    /// channel (of the whole set after <see cref="Normalize(double, double)"/>) once normalised.
    /// </summary>
    public float[] ZeroPixelValues => ZeroPixelSpan.ToArray();

    /// <summary><see cref="ZeroPixelValues"/> without a copy, computed again only when the normalisation changed (the data loader reads it for every batch).</summary>
    internal ReadOnlySpan<float> ZeroPixelSpan
    {
        get
        {
            var key = (IsNormalized, NormalizationMean, NormalizationStd);
            if (zeroPixels is null || key != zeroPixelsFor)
            {
                zeroPixels = channelMeans is null
                    ? Enumerable.Repeat(ZeroPixelValue, Images.Shape[1]).ToArray()
                    : channelMeans.Zip(channelStds!, (m, s) => (0f - (float)m) / (float)s).ToArray();
                zeroPixelsFor = key;
            }
            return zeroPixels;
        }
    }

    /// <summary>The mean and (population) standard deviation of each channel's pixels, accumulated in double in two passes.</summary>
    /// <exception cref="InvalidOperationException">The set is empty.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double[] Mean, double[] Std) ComputeChannelMeanStd()
    {
        int n = Images.Shape[0], channels = Images.Shape[1], plane = Images.Shape.SizeFrom(2);
        if (Images.Size == 0)
        {
            throw new InvalidOperationException($"the mean and standard deviation of an empty data set {Images.Shape} are undefined");
        }
        var mean = new double[channels];
        var std = new double[channels];
        ReadOnlySpan<float> values = Images.Span;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++)
            {
                foreach (float x in values.Slice((i * channels + c) * plane, plane))
                {
                    sum += x;
                }
            }
            mean[c] = sum / ((long)n * plane);
            for (int i = 0; i < n; i++)
            {
                foreach (float x in values.Slice((i * channels + c) * plane, plane))
                {
                    double d = x - mean[c];
                    squares += d * d;
                }
            }
            std[c] = Math.Sqrt(squares / ((long)n * plane));
        }
        return (mean, std);
    }

    /// <summary>
    /// Replaces every pixel x of channel c by (x − mean[c]) / std[c] in float32. Use the training
    /// set's statistics for the test set too. May be applied once (by this or the scalar overload).
    /// </summary>
    /// <exception cref="ArgumentException">The arrays do not have one finite value per channel, or a std is not positive.</exception>
    /// <exception cref="InvalidOperationException">The data set is already normalised.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Normalize(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        int n = Images.Shape[0], channels = Images.Shape[1], plane = Images.Shape.SizeFrom(2);
        if (mean.Length != channels || std.Length != channels || !mean.All(double.IsFinite) || !std.All(s => double.IsFinite(s) && s > 0))
        {
            throw new ArgumentException(
                $"expected {channels} finite means and {channels} finite positive standard deviations but got [{string.Join(", ", mean)}] and [{string.Join(", ", std)}]", nameof(mean));
        }
        if (IsNormalized)
        {
            throw new InvalidOperationException($"the data set is already normalised with mean {NormalizationMean} and std {NormalizationStd}");
        }
        Span<float> values = Images.Span;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                float m = (float)mean[c], s = (float)std[c];
                foreach (ref float x in values.Slice((i * channels + c) * plane, plane))
                {
                    x = (x - m) / s;
                }
            }
        }
        (channelMeans, channelStds, zeroPixels) = ((double[])mean.Clone(), (double[])std.Clone(), null);
        (NormalizationMean, NormalizationStd, IsNormalized) = (mean[0], std[0], true);
    }
}
