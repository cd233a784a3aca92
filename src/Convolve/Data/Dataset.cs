using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Data;

/// <summary>
/// Images with integer class labels, held in memory: images are float32 <c>Shape [N, C, H, W]</c>,
/// bytes scaled to [0, 1] (x / 255, as torchvision's ToTensor) and optionally normalised to
/// (x − mean) / std (as torchvision's Normalize); labels are in [0, <see cref="Classes"/>).
/// </summary>
public sealed partial class Dataset
{
    /// <summary>Wraps images and labels after checking that they agree.</summary>
    /// <param name="images">Shape [N, C, H, W].</param>
    /// <param name="labels">N labels, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes.</param>
    /// <exception cref="ArgumentException">The shapes disagree, or a label is out of range.</exception>
    public Dataset(Tensor images, int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Rank != 4)
        {
            throw new ArgumentException($"images must have shape [N, C, H, W] but got {images.Shape}", nameof(images));
        }
        if (classes <= 0)
        {
            throw new ArgumentException($"classes must be positive but got {classes}", nameof(classes));
        }
        if (labels.Length != images.Shape[0])
        {
            throw new ArgumentException($"images {images.Shape} hold {images.Shape[0]} items but there are {labels.Length} labels", nameof(labels));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException($"label {i} is {labels[i]}, outside [0, {classes})", nameof(labels));
            }
        }
        (Images, Labels, Classes) = (images, labels, classes);
    }

    /// <summary>The images, <c>Shape [N, C, H, W]</c>.</summary>
    public Tensor Images { get; }

    /// <summary>The label of each image, in [0, <see cref="Classes"/>).</summary>
    public int[] Labels { get; }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of items (N).</summary>
    public int Count => Labels.Length;

    /// <summary>The shape of one item, <c>[C, H, W]</c>.</summary>
    public Shape ItemShape => new(Images.Shape.Dimensions[1..]);

    /// <summary>The mean subtracted by <see cref="Normalize(double, double)"/> (0 until it is called; channel 0's after the per-channel overload).</summary>
    public double NormalizationMean { get; private set; }

    /// <summary>The standard deviation divided by in <see cref="Normalize(double, double)"/> (1 until it is called; channel 0's after the per-channel overload).</summary>
    public double NormalizationStd { get; private set; } = 1;

    /// <summary>Whether a normalisation has been applied.</summary>
    public bool IsNormalized { get; private set; }

    /// <summary>The normalisation applied to the images, <see cref="InputNormalization.None"/> until one is.</summary>
    public InputNormalization Normalization => !IsNormalized ? InputNormalization.None
        : channelMeans is null ? new InputNormalization(NormalizationMean, NormalizationStd) : new InputNormalization(channelMeans, channelStds!);

    /// <summary>The value a black (zero) source pixel has now: 0, or −mean/std once normalised.</summary>
    public float ZeroPixelValue => (0f - (float)NormalizationMean) / (float)NormalizationStd;

    /// <summary>
    /// Loads an IDX image file (ubyte scaled to [0, 1], or float32/float64 as stored; rank 3
    /// <c>[N, H, W]</c> becomes <c>[N, 1, H, W]</c>, rank 4 is read as <c>[N, C, H, W]</c>) and an IDX
    /// label file (integer types, rank 1), raw or gzip, and checks that they agree.
    /// </summary>
    /// <exception cref="IdxFormatException">A file breaks the format, a label is outside [0, <paramref name="classes"/>), or the files hold different numbers of items.</exception>
    public static Dataset FromIdx(string imagesPath, string labelsPath, int classes = 10)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        if (classes <= 0)
        {
            throw new ArgumentException($"classes must be positive but got {classes}", nameof(classes));
        }
        int[] labels = DatasetFile.ReadLabels(labelsPath, classes);
        var images = DatasetFile.ReadImages(imagesPath);
        if (images.Shape[0] != labels.Length)
        {
            throw new IdxFormatException(
                $"{imagesPath} holds {images.Shape[0]:N0} images but {labelsPath} holds {labels.Length:N0} labels; they must be the same data set");
        }
        return new Dataset(images, labels, classes);
    }

    /// <summary>The mean and (population) standard deviation of all pixels, accumulated in double in two passes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Mean, double Std) ComputeMeanStd()
    {
        ReadOnlySpan<float> values = Images.Span;
        if (values.IsEmpty)
        {
            throw new InvalidOperationException($"the mean and standard deviation of an empty data set {Images.Shape} are undefined");
        }
        double sum = 0;
        foreach (float x in values)
        {
            sum += x;
        }
        double mean = sum / values.Length, squares = 0;
        foreach (float x in values)
        {
            double d = x - mean;
            squares += d * d;
        }
        return (mean, Math.Sqrt(squares / values.Length));
    }

    /// <summary>Applies <paramref name="normalization"/>; see <see cref="Normalize(double, double)"/>.</summary>
    /// <exception cref="InvalidOperationException">The data set is already normalised.</exception>
    public void Normalize(InputNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        if (normalization.Means.Count == 1)
        {
            Normalize(normalization.Mean, normalization.Std);
            return;
        }
        Normalize([.. normalization.Means], [.. normalization.Stds]);
    }

    /// <summary>
    /// Replaces every pixel x by (x − mean) / std in float32, as torchvision's Normalize. Use the
    /// training set's statistics for the test set too. May be applied once.
    /// </summary>
    /// <exception cref="ArgumentException">The mean is not finite, or std is not finite and positive.</exception>
    /// <exception cref="InvalidOperationException">The data set is already normalised.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Normalize(double mean, double std)
    {
        if (!double.IsFinite(mean))
        {
            throw new ArgumentException($"mean must be finite but got {mean}", nameof(mean));
        }
        if (!double.IsFinite(std) || std <= 0)
        {
            throw new ArgumentException($"std must be finite and positive but got {std}", nameof(std));
        }
        if (IsNormalized)
        {
            throw new InvalidOperationException($"the data set is already normalised with mean {NormalizationMean} and std {NormalizationStd}");
        }
        float m = (float)mean, s = (float)std;
        foreach (ref float x in Images.Span)
        {
            x = (x - m) / s;
        }
        (NormalizationMean, NormalizationStd, IsNormalized) = (mean, std, true);
    }
}
