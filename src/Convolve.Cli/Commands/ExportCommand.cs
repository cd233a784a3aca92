using System.CommandLine;
using Convolve.Serialization;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve export MODEL --format npz</c>: a checkpoint's tensors for numpy users.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("model") { Description = "A Convolve checkpoint (.safetensors)" };
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "npz" };
        format.AcceptOnlyFromAmong("npz");
        var output = new Option<string?>("--output", "-o") { Description = "Output file (default: the model's name with .npz)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the output file if it exists (otherwise refused)" };
        var command = new Command("export", "Export a checkpoint's tensors to another format: npz loads with numpy.load(path)[name].") { file, format, output, overwrite };
        command.SetAction(parsed =>
        {
            string source = InputFiles.RequireFile(parsed.GetValue(file)!, "model");
            string given = parsed.GetValue(output) ?? Path.ChangeExtension(source, ".npz");
            string target = InputFiles.RequireOutput(given, "--output", parsed.GetValue(overwrite), source);
            Checkpoint checkpoint = CheckpointReader.Load(source);
            NpzWriter.Save(target, checkpoint.Tensors);
            context.Output.WriteLine($"wrote {checkpoint.Tensors.Count} tensors to {target}");
            return CliApp.Success;
        });
        return command;
    }
}
