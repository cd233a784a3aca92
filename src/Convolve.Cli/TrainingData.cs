using System.Globalization;
using Convolve.Data;
using Convolve.Tensors;

namespace Convolve.Cli;

/// <summary>The item count and image shape of one image/label file pair, from their headers.</summary>
internal sealed record DataShape(string Images, int Count, Shape Item);

/// <summary>
/// Finds the train and test sets for the commands, checks their headers before any data is read
/// (matching counts, at least one image, image ranks), and loads them.
/// </summary>
internal static class TrainingData
{
    /// <summary>Metadata key of the shape of one input, [C, H, W], as a JSON list (written by <c>convolve train</c>).</summary>
    public const string InputShapeKey = "input_shape";

    private static readonly string[] FashionNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Locates the data (--data, then $CONVOLVE_DATA, then Debian's package, then the bundled sample).</summary>
    public static DatasetFiles Locate(string? directory) => DatasetLocator.Locate(directory);

    /// <summary>The count and image shape of an image file and its labels, from their headers; disagreements and empty sets are user errors.</summary>
    public static DataShape Inspect(string images, string labels)
    {
        var (imageType, imageShape) = IdxFile.ReadHeader(images);
        var (labelType, labelShape) = IdxFile.ReadHeader(labels);
        if (imageType is not (IdxElementType.UnsignedByte or IdxElementType.Float32 or IdxElementType.Float64))
        {
            throw new IdxFormatException(images, 2, $"expected images of element type ubyte (0x08), float32 (0x0D) or float64 (0x0E) but found {IdxArray.Describe(imageType)}");
        }
        if (labelType is IdxElementType.Float32 or IdxElementType.Float64)
        {
            throw new IdxFormatException(labels, 2, $"expected labels of an integer element type but found {IdxArray.Describe(labelType)}");
        }
        if (imageShape.Rank is not (3 or 4))
        {
            throw new IdxFormatException(images, 3, $"expected images of rank 3 [N, H, W] or 4 [N, C, H, W] but found rank {imageShape.Rank} {imageShape}");
        }
        if (labelShape.Rank != 1)
        {
            throw new IdxFormatException(labels, 3, $"expected labels of rank 1 [N] but found rank {labelShape.Rank} {labelShape}");
        }
        if (imageShape[0] != labelShape[0])
        {
            throw new IdxFormatException($"{images} holds {imageShape[0]:N0} images but {labels} holds {labelShape[0]:N0} labels; they must be the same data set");
        }
        if (imageShape[0] == 0)
        {
            throw new IdxFormatException($"{images} holds no images; a data set needs at least one");
        }
        Shape item = imageShape.Rank == 3 ? new Shape(1, imageShape[1], imageShape[2]) : new Shape(imageShape[1], imageShape[2], imageShape[3]);
        return new DataShape(images, imageShape[0], item);
    }

    /// <summary>The first <paramref name="limit"/> items of a set (all when null or not fewer).</summary>
    public static Dataset Take(Dataset data, int? limit)
    {
        if (limit is null || limit.Value >= data.Count)
        {
            return data;
        }
        int item = data.ItemShape.Size;
        var images = new float[limit.Value * item];
        data.Images.Data.AsSpan(0, images.Length).CopyTo(images);
        return new Dataset(new Tensor(new Shape([limit.Value, .. data.ItemShape.Dimensions]), images), data.Labels[..limit.Value], data.Classes);
    }

    /// <summary>
    /// The training set's normalisation, per channel (one value for a gray set); a channel whose
    /// pixels all have one value cannot be normalised.
    /// </summary>
    public static InputNormalization NormalizationOf(Dataset train, string images)
    {
        var (mean, std) = train.ComputeChannelMeanStd();
        int flat = Array.FindIndex(std, s => !(s > 0));
        if (flat >= 0)
        {
            string which = std.Length == 1 ? "" : $" of channel {flat}";
            throw new UserErrorException($"every training pixel{which} in {images} has the value {mean[flat].ToString(CultureInfo.InvariantCulture)}: with standard deviation 0 there is nothing to learn and no normalisation");
        }
        return new InputNormalization(mean, std);
    }

    /// <summary>Class names for a data folder: Fashion-MNIST's when the folder says so, else the class numbers.</summary>
    public static string[] ClassNames(DatasetFiles files, int classes) =>
        classes == FashionNames.Length && files.DirectoryPath.Contains("fashion", StringComparison.OrdinalIgnoreCase)
            ? FashionNames
            : Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
}
