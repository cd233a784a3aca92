using System.CommandLine;
using Convolve.Data;
using Convolve.Imaging;
using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Cli;

/// <summary>One input chosen by <c>--image FILE</c> or <c>--index I</c> (of <c>--set</c>), as a model input and as a picture to show.</summary>
/// <param name="Input">Shape [1, C, H, W], normalised for the model.</param>
/// <param name="Picture">Shape [C, H, W] in [0, 1], what the input shows.</param>
/// <param name="Label">The true class, or −1 for a picture file.</param>
/// <param name="Name">How the input is named in captions.</param>
internal sealed record ImageChoice(Tensor Input, Tensor Picture, int Label, string Name)
{
    /// <summary>The options that choose an input, for a command.</summary>
    internal sealed class Options
    {
        private readonly Option<FileInfo?> image = new("--image") { Description = "A picture file (PNG, JPEG, …), converted as convolve predict converts it" };
        private readonly Option<int?> index = new("--index", "-i") { Description = "An image of the IDX set (0-based); the default when no --image is given is 0" };
        private readonly Option<string> set = new("--set") { Description = "test or train", DefaultValueFactory = _ => "test" };
        private readonly Option<string?> data = new("--data") { Description = "Folder with the IDX files (default: as convolve train finds them)" };
        private readonly Option<bool> invert = new("--invert") { Description = "Use 1 − x for a picture file (dark objects on a light ground)" };

        public void AddTo(Command command)
        {
            CliOptions.AcceptOnly(set, "test", "train");
            foreach (Option option in (Option[])[image, index, set, data, invert])
            {
                command.Options.Add(option);
            }
        }

        /// <summary>Reads the chosen input; the picture file is checked before any data set is loaded.</summary>
        public ImageChoice Read(ParseResult parsed, ModelInput model, TextWriter log)
        {
            FileInfo? file = parsed.GetValue(image);
            if (file is not null && parsed.GetValue(index) is not null)
            {
                throw new UserErrorException("give either --image or --index, not both");
            }
            if (file is null)
            {
                return FromSet(model, model.LoadData(parsed.GetValue(data), parsed.GetValue(set) == "train"), parsed.GetValue(index) ?? 0, parsed.GetValue(set)!);
            }
            if (!file.Exists)
            {
                throw new FileNotFoundException($"file not found: {file.FullName}", file.FullName);
            }
            Shape item = model.ItemShape(parsed.GetValue(data));
            var (mean, std) = model.Normalization.For(item[0]);
            Tensor input = ModelImage.Load(file.FullName, item[0], item[1], item[2], mean, std, parsed.GetValue(invert));
            Tensor picture = model.Unnormalize(input.Reshape(item.ToArray()));
            return new ImageChoice(input, picture, -1, file.Name);
        }
    }

    /// <summary>Image <paramref name="i"/> of a normalised data set.</summary>
    public static ImageChoice FromSet(ModelInput model, Dataset images, int i, string set)
    {
        if (i < 0 || i >= images.Count)
        {
            throw new UserErrorException($"--index must be in [0, {images.Count}) for the {set} set but got {i}");
        }
        int size = images.ItemShape.Size;
        var input = new Tensor(new Shape([1, .. images.ItemShape.Dimensions]), images.Images.Data.AsSpan(i * size, size).ToArray());
        Tensor picture = model.Unnormalize(input.Reshape(images.ItemShape.ToArray()));
        return new ImageChoice(input, picture, images.Labels[i], $"{set} image {i} ({model.ClassName(images.Labels[i])})");
    }
}
