using System.CommandLine;
using Convolve.Imaging;
using Convolve.Visualization;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve visualize features MODEL [--image FILE | --index I]</c>: every layer's output maps for one input.</summary>
internal static class VisualizeFeaturesCommand
{
    public static Command Create(CliContext context)
    {
        var model = VisualizeCommand.ModelArgument();
        var choice = new ImageChoice.Options();
        var output = VisualizeCommand.OutputFile("features.png");
        var overwrite = VisualizeCommand.Overwrite();
        var command = new Command("features", "Draw every layer's output (feature maps) for one input: a picture file or an image of the IDX set.") { model, output, overwrite };
        choice.AddTo(command);
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(model)!.FullName);
            string path = parsed.GetValue(output)!;
            OutputFiles.RequireFile(path, "--output", ".png", parsed.GetValue(overwrite));
            ImageChoice chosen = choice.Read(parsed, input, context.Output);
            var files = new OutputFiles();
            files.Add(path, ImageFile.EncodePng(FeatureMapFigure.Of(input.Model, chosen.Input, chosen.Picture)));
            context.Output.WriteLine($"feature maps of every layer for {chosen.Name}");
            files.Commit(context.Output);
            return CliApp.Success;
        });
        return command;
    }
}
