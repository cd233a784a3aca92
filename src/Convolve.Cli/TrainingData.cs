using System.Globalization;
using Convolve.Data;
using Convolve.Tensors;

namespace Convolve.Cli;

/// <summary>
/// Finds and loads the train and test sets for the commands, normalised with the training set's
/// mean and standard deviation (stored in every checkpoint so evaluation uses the same numbers).
/// </summary>
internal static class TrainingData
{
    public const string MeanKey = "normalization_mean";
    public const string StdKey = "normalization_std";
    public const string ClassNamesKey = "class_names";
    public const string InputShapeKey = "input_shape";

    private static readonly string[] FashionNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Locates the data (--data, then $CONVOLVE_DATA, then Debian's package, then the bundled sample) and says which.</summary>
    public static DatasetFiles Locate(string? directory, TextWriter log)
    {
        DatasetFiles files = DatasetLocator.Locate(directory);
        log.WriteLine($"data: {files.Description}");
        return files;
    }

    /// <summary>The first <paramref name="limit"/> items of a set (all when null).</summary>
    public static Dataset Take(Dataset data, int? limit)
    {
        if (limit is null || limit.Value >= data.Count)
        {
            return data;
        }
        if (limit.Value <= 0)
        {
            throw new ArgumentException($"--limit must be positive but got {limit.Value}");
        }
        int item = data.ItemShape.Size;
        var images = new float[limit.Value * item];
        data.Images.Data.AsSpan(0, images.Length).CopyTo(images);
        return new Dataset(new Tensor(new Shape([limit.Value, .. data.ItemShape.Dimensions]), images), data.Labels[..limit.Value], data.Classes);
    }

    /// <summary>Class names for a data folder: Fashion-MNIST's when the folder says so, else the class numbers.</summary>
    public static string[] ClassNames(DatasetFiles files, int classes) =>
        classes == FashionNames.Length && files.DirectoryPath.Contains("fashion", StringComparison.OrdinalIgnoreCase)
            ? FashionNames
            : Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Metadata entries describing the normalisation, class names and (when given) the shape of one input, [C, H, W].</summary>
    public static Dictionary<string, string> Describe(ChannelStats normalization, string[] classNames, Shape? inputShape = null)
    {
        var metadata = new Dictionary<string, string>
        {
            [ClassNamesKey] = System.Text.Json.JsonSerializer.Serialize(classNames),
        };
        normalization.Describe(metadata);
        if (inputShape is not null)
        {
            metadata[InputShapeKey] = System.Text.Json.JsonSerializer.Serialize(inputShape.ToArray());
        }
        return metadata;
    }
}
