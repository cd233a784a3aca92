using System.CommandLine;
using System.Globalization;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve predict MODEL --index I</c>: the top-k classes of one image of an IDX set, with probabilities.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("model") { Description = "A model file: best.safetensors or last.safetensors of a run, or one written by Model.Save" };
        var index = CliOptions.Integer("--index", "Which image of the set (0-based)", 0, min: 0, alias: "-i");
        var set = new Option<string>("--set") { Description = "test or train", DefaultValueFactory = _ => "test" };
        set.AcceptOnlyFromAmong("test", "train");
        var top = CliOptions.Integer("--top", "How many classes to list", 3, min: 1, max: 10, alias: "-k");
        var data = new Option<string?>("--data") { Description = "Folder with the IDX files (default: as convolve train finds them)" };
        var command = new Command("predict", "Classify one image of an IDX set: the top-k classes with their probabilities.") { file, index, set, top, data };
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(file)!);
            int i = parsed.GetValue(index), k = parsed.GetValue(top);
            string which = parsed.GetValue(set)!;
            var (images, files) = input.LoadData(parsed.GetValue(data), which == "train", batchSize: 1, shape =>
            {
                if (i >= shape.Count)
                {
                    throw new UserErrorException($"--index {i} is outside the {which} set's {shape.Count:N0} images (0 to {shape.Count - 1})");
                }
            });
            context.Output.WriteLine($"data: {files.Description}");
            var one = new Tensor(new Shape([1, .. images.ItemShape.Dimensions]), images.Images.Data.AsSpan(i * images.ItemShape.Size, images.ItemShape.Size).ToArray());
            Prediction prediction = Predictor.Predict(input.Model, one, k)[0];
            int truth = images.Labels[i];
            context.Output.WriteLine($"image {i} of the {which} set, true class {truth} ({input.ClassName(truth)}):");
            foreach (var p in prediction.Top)
            {
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Probability,8:P2}  {p.ClassIndex,2} {input.ClassName(p.ClassIndex)}{(p.ClassIndex == truth ? "  ✓" : "")}"));
            }
            return CliApp.Success;
        });
        return command;
    }
}
