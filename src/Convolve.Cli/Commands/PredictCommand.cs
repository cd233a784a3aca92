using System.CommandLine;
using System.Globalization;
using Convolve.Imaging;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve predict MODEL [IMAGE] [--index I]</c>: the top-k classes, with probabilities, of a
/// picture file or of one image of an IDX set.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("model") { Description = "A model file: best.safetensors or last.safetensors of a run, or one written by Model.Save" };
        var picture = new Argument<FileInfo?>("image")
        {
            Description = "A picture to classify (PNG, JPEG, …): resized to the model's input, gray or RGB as the model needs, normalised as in training",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var index = CliOptions.OptionalInteger("--index", "Which image of the set (0-based; default 0), when no picture is given", min: 0, alias: "-i");
        var set = new Option<string>("--set") { Description = "test or train", DefaultValueFactory = _ => "test" };
        CliOptions.AcceptOnly(set, "test", "train");
        var top = CliOptions.Integer("--top", "How many classes to list", 3, min: 1, max: 10, alias: "-k");
        var data = new Option<string?>("--data") { Description = "Folder with the IDX files (default: as convolve train finds them)" };
        var invert = new Option<bool>("--invert") { Description = "Use 1 − x for a picture: dark objects on a light ground, for a model trained on light objects on black (Fashion-MNIST, MNIST)" };
        var command = new Command("predict", "Classify a picture file or one image of an IDX set: the top-k classes with their probabilities.")
        {
            file, picture, index, set, top, data, invert,
        };
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(file)!);
            FileInfo? image = parsed.GetValue(picture);
            if (image is not null && parsed.GetValue(index) is not null)
            {
                throw new UserErrorException("give either a picture or --index, not both");
            }
            var (one, truth, title) = image is null
                ? FromSet(context, input, parsed.GetValue(data), parsed.GetValue(set)!, parsed.GetValue(index) ?? 0)
                : FromPicture(input, image, parsed.GetValue(data), parsed.GetValue(invert));
            Print(context.Output, input, one, truth, title, parsed.GetValue(top));
            return CliApp.Success;
        });
        return command;
    }

    private static void Print(TextWriter output, ModelInput input, Tensor one, int truth, string title, int k)
    {
        Shape scores = input.Model.OutputShape(one.Shape);
        if (k > scores[^1])
        {
            throw new UserErrorException($"--top {k} is more than the model's {scores[^1]} classes");
        }
        Prediction prediction = Predictor.Predict(input.Model, one, k)[0];
        output.WriteLine(title);
        foreach (var p in prediction.Top)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Probability,8:P2}  {p.ClassIndex,2} {input.ClassName(p.ClassIndex)}{(p.ClassIndex == truth ? "  ✓" : "")}"));
        }
    }

    private static (Tensor Image, int Truth, string Title) FromSet(CliContext context, ModelInput input, string? data, string set, int i)
    {
        var (images, files) = input.LoadData(data, set == "train", batchSize: 1, shape =>
        {
            if (i >= shape.Count)
            {
                throw new UserErrorException($"--index {i} is outside the {set} set's {shape.Count:N0} images (0 to {shape.Count - 1})");
            }
        });
        context.Output.WriteLine($"data: {files.Description}");
        var one = new Tensor(new Shape([1, .. images.ItemShape.Dimensions]), images.Images.Data.AsSpan(i * images.ItemShape.Size, images.ItemShape.Size).ToArray());
        int truth = images.Labels[i];
        return (one, truth, $"image {i} of the {set} set, true class {truth} ({input.ClassName(truth)}):");
    }

    private static (Tensor Image, int Truth, string Title) FromPicture(ModelInput input, FileInfo picture, string? data, bool invert)
    {
        string path = picture.FullName;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"file not found: {path}", path);
        }
        Shape item = input.ItemShape(data);
        if (item.Rank != 3)
        {
            throw new UserErrorException($"the model takes inputs {item}, not pictures [C, H, W]");
        }
        var (mean, std) = input.Normalization.For(item[0]);
        Tensor one = ModelImage.Load(path, item[0], item[1], item[2], mean, std, invert);
        string kind = item[0] == 1 ? "gray" : "RGB";
        string title = string.Create(CultureInfo.InvariantCulture,
            $"{picture}: resized to {item[1]}×{item[2]} {kind}{(invert ? ", inverted" : "")}, normalised with {Describe(input.Normalization)}:");
        return (one, -1, title);
    }

    /// <summary><c>mean 0.2860 and std 0.3530</c>, or a list of each for a per-channel normalisation.</summary>
    private static string Describe(Data.InputNormalization normalization)
    {
        static string Show(IReadOnlyList<double> values) => values.Count == 1
            ? values[0].ToString("F4", CultureInfo.InvariantCulture)
            : "[" + string.Join(", ", values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))) + "]";
        return $"mean {Show(normalization.Means)} and std {Show(normalization.Stds)}";
    }
}
