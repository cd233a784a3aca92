using System.CommandLine;
using System.Globalization;
using Convolve.Imaging;
using Convolve.Training;
using Convolve.Visualization;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve visualize saliency MODEL [--index I | --image FILE] [--class C]</c>: the gradient of a
/// class score with respect to the image (Simonyan et al.), beside guided backpropagation and the deconvnet.
/// </summary>
internal static class VisualizeSaliencyCommand
{
    public static Command Create(CliContext context)
    {
        var model = VisualizeCommand.ModelArgument();
        var choice = new ImageChoice.Options();
        var target = new Option<int?>("--class") { Description = "The class whose score is explained (default: the predicted class)" };
        var output = VisualizeCommand.OutputFile("saliency.png");
        var overwrite = VisualizeCommand.Overwrite();
        var command = new Command("saliency", "Explain one classification: the saliency map (gradient of the class score), guided backpropagation and the deconvnet side by side.")
        {
            model, target, output, overwrite,
        };
        choice.AddTo(command);
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(model)!.FullName);
            string path = parsed.GetValue(output)!;
            OutputFiles.RequireFile(path, "--output", ".png", parsed.GetValue(overwrite));
            ImageChoice chosen = choice.Read(parsed, input, context.Output);
            Prediction prediction = Predictor.Predict(input.Model, chosen.Input, 1)[0];
            int classes = input.Model.OutputShape(chosen.Input.Shape)[^1];
            int explained = parsed.GetValue(target) ?? prediction.Top[0].ClassIndex;
            if (explained < 0 || explained >= classes)
            {
                throw new UserErrorException($"--class must be in [0, {classes}) but got {explained}");
            }
            string caption = string.Create(CultureInfo.InvariantCulture,
                $"{chosen.Name}: SCORE OF CLASS {explained} {input.ClassName(explained)} (PREDICTED {input.ClassName(prediction.Top[0].ClassIndex)} {prediction.Top[0].Probability:P0})");
            var files = new OutputFiles();
            files.Add(path, ImageFile.EncodePng(SaliencyFigure.Of(input.Model, chosen.Input, chosen.Picture, explained, caption)));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{chosen.Name}: predicted {input.ClassName(prediction.Top[0].ClassIndex)} ({prediction.Top[0].Probability:P1}); explaining the score of class {explained} ({input.ClassName(explained)})"));
            files.Commit(context.Output);
            return CliApp.Success;
        });
        return command;
    }
}
