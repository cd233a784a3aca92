using System.CommandLine;
using Convolve.Serialization;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve inspect FILE</c>: tensors, shapes, metadata, or what is wrong with a broken file.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A Convolve checkpoint (.safetensors)" };
        var command = new Command("inspect", "List a checkpoint's tensors, shapes and metadata, or say what is wrong with a broken file.") { file };
        command.SetAction(parsed =>
        {
            FileInfo path = parsed.GetValue(file)!;
            CheckpointInspection inspection = CheckpointInspector.Inspect(path.FullName);
            if (inspection.IsValid)
            {
                context.Output.Write(inspection.ToString());
                return CliApp.Success;
            }
            context.Error.WriteLine($"convolve: {path.FullName} is not a valid checkpoint: {inspection.Problem}");
            if (inspection.Tensors.Count > 0 || inspection.Metadata.Count > 0)
            {
                context.Output.Write(inspection.ToString());
            }
            return CliApp.UserError;
        });
        return command;
    }
}
