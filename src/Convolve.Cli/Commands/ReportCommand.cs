using System.CommandLine;
using Convolve.Cli.Report;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve report RUN_DIR</c>: rebuilds a run's report.html and curves.png from its history.json and best.safetensors.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Argument<DirectoryInfo>("run") { Description = "A run folder written by convolve train (history.json, best.safetensors)" };
        var data = new Option<string?>("--data") { Description = "Folder with the IDX files (default: the run's, then as convolve train finds them)" };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for report.html and curves.png (default: the run folder)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a report.html or curves.png already in the output folder (otherwise refused; convolve train writes both into the run folder)" };
        var command = new Command("report", "Rebuild a training run's report.html (curves, per-class accuracy, confusion matrix, most confidently wrong images, filters, recipe, timing) and curves.png.")
        {
            run, data, output, overwrite,
        };
        command.SetAction(parsed =>
        {
            DirectoryInfo folder = parsed.GetValue(run)!;
            if (!folder.Exists)
            {
                throw new UserErrorException($"run folder not found: {folder.FullName}");
            }
            string? target = parsed.GetValue(output);
            if (target is not null)
            {
                OutputFiles.RequireFolder(target, "--output");
            }
            OutputFiles.RequireNoneIn(target ?? folder.FullName, [TrainingReport.HtmlName, TrainingReport.CurvesName], target is null ? "the run folder" : "--output", parsed.GetValue(overwrite));
            TrainingReport.Build(folder.FullName, parsed.GetValue(data), null, target, context.Output).Commit(context.Output);
            return CliApp.Success;
        });
        return command;
    }
}
