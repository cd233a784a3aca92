using System.CommandLine;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve visualize</c>: pictures of what a trained model has learned (deconvnet projections, filters, feature maps, saliency).</summary>
internal static class VisualizeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("visualize", "Pictures of a trained model: deconvnet projections of features, filters, feature maps, saliency and guided backpropagation.");
        command.Subcommands.Add(VisualizeDeconvCommand.Create(context));
        command.Subcommands.Add(VisualizeFiltersCommand.Create(context));
        command.Subcommands.Add(VisualizeFeaturesCommand.Create(context));
        command.Subcommands.Add(VisualizeSaliencyCommand.Create(context));
        return command;
    }

    /// <summary>The model argument every visualize command takes.</summary>
    public static Argument<FileInfo> ModelArgument() => new("model") { Description = "A model saved by convolve train (best.safetensors or last.safetensors)" };

    /// <summary>The --overwrite option: a picture already there is replaced only when it is given.</summary>
    public static Option<bool> Overwrite() => new("--overwrite") { Description = "Replace pictures that already exist (otherwise refused, nothing written)" };

    /// <summary>The --output option for one picture file.</summary>
    public static Option<string> OutputFile(string fallback) =>
        new("--output", "-o") { Description = $"The PNG file to write (default {fallback})", DefaultValueFactory = _ => fallback };
}
