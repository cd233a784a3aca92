using System.CommandLine;
using System.Globalization;

namespace Convolve.Cli;

/// <summary>
/// How a folder of pictures becomes a data set: <c>--image-size</c>, <c>--channels</c> and
/// <c>--val-fraction</c> of <c>convolve train</c> (null: not given; the defaults are 32, 3 and 0.2).
/// A run records them (<see cref="ImageSizeKey"/>, …), so that a resume and eval read the folder alike.
/// </summary>
internal sealed record PictureOptions(int? ImageSize, int? Channels, double? ValFraction)
{
    /// <summary>Metadata keys of what a run on a folder of pictures used.</summary>
    public const string ImageSizeKey = "image_size", ChannelsKey = "channels", ValFractionKey = "val_fraction";

    /// <summary>No option given.</summary>
    public static PictureOptions None { get; } = new(null, null, null);

    /// <summary>The side pictures are resized to.</summary>
    public int Size => ImageSize ?? 32;

    /// <summary>1 (gray) or 3 (RGB).</summary>
    public int ChannelCount => Channels ?? 3;

    /// <summary>The share of each class held out when the folder has no test folder.</summary>
    public double Fraction => ValFraction ?? 0.2;

    /// <summary>Whether any option was given.</summary>
    public bool Any => ImageSize is not null || Channels is not null || ValFraction is not null;

    /// <summary>The options a model's metadata records: its input shape [C, S, S] and the held-out share.</summary>
    public static PictureOptions FromMetadata(IReadOnlyDictionary<string, string> metadata, Tensors.Shape? itemShape)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        double? fraction = metadata.TryGetValue(ValFractionKey, out string? text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f is > 0 and < 1 ? f : null;
        return itemShape is { Rank: 3 } && itemShape[0] is 1 or 3 && itemShape[1] == itemShape[2]
            ? new PictureOptions(itemShape[1], itemShape[0], fraction)
            : new PictureOptions(null, null, fraction);
    }

    /// <summary>Adds the entries recording these options.</summary>
    public void Describe(IDictionary<string, string> metadata, bool heldOut)
    {
        metadata[ImageSizeKey] = Size.ToString(CultureInfo.InvariantCulture);
        metadata[ChannelsKey] = ChannelCount.ToString(CultureInfo.InvariantCulture);
        if (heldOut)
        {
            metadata[ValFractionKey] = Fraction.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The three options of <c>convolve train</c>, range-checked while parsing.</summary>
    public sealed class Options
    {
        private readonly Option<int?> imageSize = CliOptions.OptionalInteger("--image-size", "Folder of pictures: the side every picture is resized to (default 32)", min: 1, max: 4096);
        private readonly Option<int?> channels = CliOptions.OptionalInteger("--channels", "Folder of pictures: 1 (gray) or 3 (RGB, the default)", min: 1, max: 3);
        private readonly Option<double?> valFraction = CliOptions.OptionalNumber("--val-fraction", "Folder of pictures without a test/ folder: the share of each class held out for testing (default 0.2)", 0, minInclusive: false, max: 1);

        /// <summary>The options, for the command and for --resume's list of what may not be given.</summary>
        public Option[] All => [imageSize, channels, valFraction];

        public PictureOptions Read(ParseResult parsed)
        {
            int? count = parsed.GetValue(channels);
            double? fraction = parsed.GetValue(valFraction);
            if (count == 2)
            {
                throw new UserErrorException("--channels must be 1 (gray) or 3 (RGB) but got 2");
            }
            return fraction == 1
                ? throw new UserErrorException("--val-fraction must be below 1 (some pictures must be left to train on) but got 1")
                : new PictureOptions(parsed.GetValue(imageSize), count, fraction);
        }
    }
}
