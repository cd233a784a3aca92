using System.CommandLine;
using Convolve.Imaging;
using Convolve.Layers;
using Convolve.Visualization;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve visualize filters MODEL [--layer NAME]</c>: a convolution's kernels as a grid (the first convolution by default).</summary>
internal static class VisualizeFiltersCommand
{
    public static Command Create(CliContext context)
    {
        var model = VisualizeCommand.ModelArgument();
        var layer = new Option<string?>("--layer", "-l") { Description = "The convolution (module path or convK; default the first): kernels over 1 or 3 input channels are drawn gray or RGB, others summed over their input channels" };
        var sum = new Option<bool>("--sum") { Description = "Sum every kernel over its input channels even when there are 1 or 3" };
        var output = VisualizeCommand.OutputFile("filters.png");
        var overwrite = VisualizeCommand.Overwrite();
        var command = new Command("filters", "Draw a convolution's kernels as a grid, all on one scale (zero is mid-gray).") { model, layer, sum, output, overwrite };
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(model)!.FullName);
            string path = parsed.GetValue(output)!;
            OutputFiles.RequireFile(path, "--output", ".png", parsed.GetValue(overwrite));
            var convolutions = NetworkLayers.Of(input.Model).Where(l => l.Layer is ConvNd).ToList();
            if (convolutions.Count == 0)
            {
                throw new UserErrorException($"{input.Path} has no convolution whose filters could be drawn");
            }
            string? name = parsed.GetValue(layer);
            NamedLayer chosen = name is null ? convolutions[0] : NetworkLayers.Find(input.Model, name);
            if (chosen.Layer is not ConvNd convolution)
            {
                throw new UserErrorException($"--layer {name}: layer {chosen.Display} has no kernels; the convolutions are {string.Join(", ", convolutions.Select(c => c.Display))}");
            }
            var weight = convolution.Weight.Value.Shape;
            bool summed = parsed.GetValue(sum) || weight[1] is not (1 or 3);
            string caption = $"{chosen.Alias} {weight[0]} KERNELS {weight[2]}×{weight[3]}{(summed ? $" SUMMED OVER {weight[1]} INPUTS" : "")}";
            var files = new OutputFiles();
            files.Add(path, ImageFile.EncodePng(FilterFigure.Of(convolution, parsed.GetValue(sum), caption)));
            context.Output.WriteLine($"layer {chosen.Display}: {weight[0]} kernels of {weight[1]}×{weight[2]}×{weight[3]}{(summed ? ", summed over their input channels" : "")}");
            files.Commit(context.Output);
            return CliApp.Success;
        });
        return command;
    }
}
