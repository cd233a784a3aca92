using System.CommandLine;
using System.Globalization;

namespace Convolve.Cli;

/// <summary>
/// How a folder of pictures becomes a data set: <c>--image-size</c>, <c>--channels</c> and
/// <c>--val-fraction</c> of <c>convolve train</c> (null: not given). The defaults are 32, 3 and 0.2;
/// the options apply to folders of pictures only.
/// </summary>
internal sealed record PictureOptions(int? ImageSize, int? Channels, double? ValFraction)
{
    /// <summary>Metadata keys of what a run on a folder of pictures used, so that resume and eval read it alike.</summary>
    public const string ImageSizeKey = "image_size", ChannelsKey = "channels", ValFractionKey = "val_fraction";

    /// <summary>No option given.</summary>
    public static PictureOptions None { get; } = new(null, null, null);

    public int Size => ImageSize ?? 32;

    public int ChannelCount => Channels ?? 3;

    public double Fraction => ValFraction ?? 0.2;

    /// <summary>Whether any option was given.</summary>
    public bool Any => ImageSize is not null || Channels is not null || ValFraction is not null;

    /// <summary>The options recorded by a training run, where it recorded them.</summary>
    public static PictureOptions FromMetadata(IReadOnlyDictionary<string, string> metadata, Tensors.Shape? itemShape)
    {
        double? fraction = metadata.TryGetValue(ValFractionKey, out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? f : null;
        return itemShape is { Rank: 3 } ? new PictureOptions(itemShape[1], itemShape[0], fraction) : new PictureOptions(null, null, fraction);
    }

    /// <summary>The entries recording these options.</summary>
    public void Describe(IDictionary<string, string> metadata, bool heldOut)
    {
        metadata[ImageSizeKey] = Size.ToString(CultureInfo.InvariantCulture);
        metadata[ChannelsKey] = ChannelCount.ToString(CultureInfo.InvariantCulture);
        if (heldOut)
        {
            metadata[ValFractionKey] = Fraction.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Refuses values out of range, naming the option.</summary>
    public PictureOptions Validated()
    {
        if (ImageSize is <= 0 or > 4096)
        {
            throw new UserErrorException($"--image-size must be between 1 and 4096 but got {ImageSize}");
        }
        if (Channels is not (null or 1 or 3))
        {
            throw new UserErrorException($"--channels must be 1 (gray) or 3 (RGB) but got {Channels}");
        }
        return ValFraction is null or (> 0 and < 1) ? this : throw new UserErrorException($"--val-fraction must be between 0 and 1 (exclusive) but got {ValFraction?.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The three options of <c>convolve train</c>.</summary>
    public sealed class Options
    {
        private readonly Option<int?> imageSize = new("--image-size") { Description = "Folder of pictures: height and width every picture is resized to (default 32)" };
        private readonly Option<int?> channels = new("--channels") { Description = "Folder of pictures: 1 (gray) or 3 (RGB, the default)" };
        private readonly Option<double?> valFraction = new("--val-fraction") { Description = "Folder of pictures without a test/ folder: share of each class held out for testing (default 0.2)" };

        public void AddTo(Command command)
        {
            command.Options.Add(imageSize);
            command.Options.Add(channels);
            command.Options.Add(valFraction);
        }

        public PictureOptions Read(ParseResult parsed) =>
            new PictureOptions(parsed.GetValue(imageSize), parsed.GetValue(channels), parsed.GetValue(valFraction)).Validated();
    }
}
