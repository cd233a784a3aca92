using System.CommandLine;
using System.Globalization;
using Convolve.Data;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve predict MODEL --index I</c>: the top-k classes of one image of an IDX set, with probabilities.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("model") { Description = "A model saved by convolve train" };
        var index = new Option<int>("--index", "-i") { Description = "Which image of the set (0-based)", DefaultValueFactory = _ => 0 };
        var set = new Option<string>("--set") { Description = "test or train", DefaultValueFactory = _ => "test" };
        set.AcceptOnlyFromAmong("test", "train");
        var top = new Option<int>("--top", "-k") { Description = "How many classes to list", DefaultValueFactory = _ => 3 };
        var data = new Option<string?>("--data") { Description = "Folder with the IDX files (default: as convolve train finds them)" };
        var command = new Command("predict", "Classify one image of an IDX set: the top-k classes with their probabilities.") { file, index, set, top, data };
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(file)!.FullName);
            Dataset images = input.LoadData(parsed.GetValue(data), parsed.GetValue(set) == "train", context.Output);
            int i = parsed.GetValue(index);
            if (i < 0 || i >= images.Count)
            {
                throw new UserErrorException($"--index must be in [0, {images.Count}) for the {parsed.GetValue(set)} set but got {i}");
            }
            int k = parsed.GetValue(top);
            if (k < 1 || k > images.Classes)
            {
                throw new UserErrorException($"--top must be in [1, {images.Classes}] but got {k}");
            }
            var one = new Tensor(new Shape([1, .. images.ItemShape.Dimensions]), images.Images.Data.AsSpan(i * images.ItemShape.Size, images.ItemShape.Size).ToArray());
            Prediction prediction = Predictor.Predict(input.Model, one, k)[0];
            int truth = images.Labels[i];
            context.Output.WriteLine($"image {i} of the {parsed.GetValue(set)} set, true class {truth} ({input.ClassName(truth)}):");
            foreach (var p in prediction.Top)
            {
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Probability,8:P2}  {p.ClassIndex,2} {input.ClassName(p.ClassIndex)}{(p.ClassIndex == truth ? "  ✓" : "")}"));
            }
            return CliApp.Success;
        });
        return command;
    }
}
