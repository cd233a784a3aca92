using System.CommandLine;
using Convolve.Serialization;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve export MODEL --format npz</c>: a checkpoint's tensors for numpy users.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("model") { Description = "A Convolve checkpoint (.safetensors)" };
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "npz" };
        format.AcceptOnlyFromAmong("npz");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Output file (default: the model's name with .npz)" };
        var command = new Command("export", "Export a checkpoint's tensors to another format: npz loads with numpy.load(path)[name].") { file, format, output };
        command.SetAction(parsed =>
        {
            FileInfo source = parsed.GetValue(file)!;
            string target = parsed.GetValue(output)?.FullName ?? Path.ChangeExtension(source.FullName, ".npz");
            Checkpoint checkpoint = CheckpointReader.Load(source.FullName);
            NpzWriter.Save(target, checkpoint.Tensors);
            context.Output.WriteLine($"wrote {checkpoint.Tensors.Count} tensors to {target}");
            return CliApp.Success;
        });
        return command;
    }
}
