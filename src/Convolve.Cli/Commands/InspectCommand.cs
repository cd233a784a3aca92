using System.CommandLine;
using Convolve.Models;
using Convolve.Serialization;
using Convolve.Training;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve inspect FILE</c>: tensors, shapes, metadata and checksum status, or what is wrong
/// with the file: exactly what <c>eval</c> (and, for a training checkpoint, <c>train --resume</c>)
/// would refuse, with exit code 2.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A Convolve checkpoint (.safetensors)" };
        var command = new Command("inspect", "List a checkpoint's tensors, shapes and metadata, and check it as eval (and resume) would: say what is wrong with a broken file.") { file };
        command.SetAction(parsed =>
        {
            string path = InputFiles.RequireFile(parsed.GetValue(file)!, "file");
            CheckpointInspection inspection = CheckpointInspector.Inspect(path);
            string? problem = inspection.IsValid ? UseProblem(path, inspection) : $"{path} is not a valid checkpoint: {inspection.Problem}";
            if (problem is null)
            {
                context.Output.Write(inspection.ToString());
                return CliApp.Success;
            }
            context.Error.WriteLine($"convolve: {problem}");
            if (inspection.Tensors.Count > 0 || inspection.Metadata.Count > 0)
            {
                context.Output.Write(inspection.ToString());
            }
            return CliApp.UserError;
        });
        return command;
    }

    /// <summary>What eval, or resume for a training checkpoint, would refuse in a file whose format is valid; null when nothing.</summary>
    private static string? UseProblem(string path, CheckpointInspection inspection)
    {
        try
        {
            ModelInput.Load(path);
            if (inspection.Metadata.GetValueOrDefault(Model.KindKey) == "training")
            {
                try
                {
                    TrainingCheckpoint.Load(path);
                }
                catch (Exception ex) when (ex is CheckpointFormatException or ModelArchitectureException)
                {
                    return $"{path} would be refused by train --resume: {CliErrors.Describe(ex)}";
                }
            }
            return null;
        }
        catch (Exception ex) when (ex is CheckpointFormatException or ModelArchitectureException or UserErrorException)
        {
            return $"{path} would be refused by eval: {CliErrors.Describe(ex)}";
        }
    }
}
