using Convolve.Tensors;

namespace Convolve.Imaging;

/// <summary>
/// Turns a picture file into one input of a model trained by <c>convolve train</c>, in these steps:
/// decode (transparent pixels over white); resize to the model's height and width with
/// ImageSharp's bicubic resampler (stretching: the aspect ratio is not kept); for a one-channel
/// model, gray = 0.299·R + 0.587·G + 0.114·B (ITU-R BT.601, PIL's and torchvision's
/// <c>Grayscale</c>), for a three-channel model RGB as it is (a gray picture is decoded with R = G = B);
/// scale bytes to [0, 1]; optionally invert (1 − x, for dark objects on a light ground when the model
/// saw light objects on black, as Fashion-MNIST's); then normalise (x − mean)/std with the
/// statistics recorded in the checkpoint.
/// </summary>
public static class ModelImage
{
    /// <summary>Reads <paramref name="path"/> as Shape [1, channels, height, width], ready for the model.</summary>
    /// <param name="path">A PNG, JPEG or other picture ImageSharp reads.</param>
    /// <param name="channels">The model's input channels: 1 (gray) or 3 (RGB).</param>
    /// <param name="height">The model's input height.</param>
    /// <param name="width">The model's input width.</param>
    /// <param name="mean">The training set's pixel mean (of values in [0, 1]).</param>
    /// <param name="std">The training set's pixel standard deviation.</param>
    /// <param name="invert">Whether to use 1 − x.</param>
    public static Tensor Load(string path, int channels, int height, int width, double mean, double std, bool invert = false) =>
        Load(path, channels, height, width, Enumerable.Repeat(mean, channels).ToArray(), Enumerable.Repeat(std, channels).ToArray(), invert);

    /// <summary>Reads <paramref name="path"/> as Shape [1, channels, height, width], normalised with one mean and standard deviation per channel.</summary>
    public static Tensor Load(string path, int channels, int height, int width, double[] mean, double[] std, bool invert = false)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentException($"a picture can feed a model with 1 (gray) or 3 (RGB) input channels, not {channels}", nameof(channels));
        }
        Tensor rgb = ImageFile.ReadRgb(path, height, width);
        return Normalize(channels == 1 ? ToGray(rgb) : rgb, mean, std, invert);
    }

    /// <summary>Gray by the BT.601 luma weights; Shape [3, H, W] → [1, H, W].</summary>
    public static Tensor ToGray(Tensor rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Rank != 3 || rgb.Shape[0] != 3)
        {
            throw new ArgumentException($"expected an RGB picture [3, H, W] but got {rgb.Shape}", nameof(rgb));
        }
        int plane = rgb.Shape[1] * rgb.Shape[2];
        var gray = new Tensor(new Shape(1, rgb.Shape[1], rgb.Shape[2]));
        ReadOnlySpan<float> source = rgb.Span;
        for (int i = 0; i < plane; i++)
        {
            gray.Data[i] = 0.299f * source[i] + 0.587f * source[plane + i] + 0.114f * source[2 * plane + i];
        }
        return gray;
    }

    /// <summary>Optional inversion then (x − mean)/std, into a new batch of one: Shape [C, H, W] → [1, C, H, W].</summary>
    public static Tensor Normalize(Tensor image, double mean, double std, bool invert)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Normalize(image, Enumerable.Repeat(mean, image.Shape[0]).ToArray(), Enumerable.Repeat(std, image.Shape[0]).ToArray(), invert);
    }

    /// <summary>Optional inversion then (x − mean[c])/std[c] per channel c, into a new batch of one: Shape [C, H, W] → [1, C, H, W].</summary>
    public static Tensor Normalize(Tensor image, double[] mean, double[] std, bool invert)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        int channels = image.Shape[0], plane = image.Shape.SizeFrom(1);
        if (mean.Length != channels || std.Length != channels || std.Any(s => !double.IsFinite(s) || s <= 0))
        {
            throw new ArgumentException($"expected {channels} means and finite positive standard deviations but got [{string.Join(", ", mean)}] and [{string.Join(", ", std)}]", nameof(std));
        }
        var input = new Tensor(new Shape([1, .. image.Shape.Dimensions]));
        for (int i = 0; i < image.Size; i++)
        {
            double x = invert ? 1.0 - image.Data[i] : image.Data[i];
            input.Data[i] = (float)((x - mean[i / plane]) / std[i / plane]);
        }
        return input;
    }
}
