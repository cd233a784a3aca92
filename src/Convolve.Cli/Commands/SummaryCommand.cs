using System.CommandLine;
using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve summary</c>: per layer output shape, parameters, FLOPs and workspace, with totals.</summary>
internal static class SummaryCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "A zoo model name (" + string.Join(", ", ModelZoo.Names) + ") or a saved model file" };
        var input = new Option<string>("--input") { Description = "Input shape C,H,W of one image", DefaultValueFactory = _ => "1,28,28" };
        var batch = CliOptions.Integer("--batch-size", "Batch size for activation memory and FLOPs", 1, min: 1, alias: "-b");
        var architecture = new Option<bool>("--architecture") { Description = "Print the architecture JSON (what checkpoints store) instead" };
        var command = new Command("summary", "Show a model layer by layer: output shape, parameters, FLOPs, workspace bytes, and totals.") { model, input, batch, architecture };
        command.SetAction(parsed =>
        {
            string name = parsed.GetValue(model)!;
            int[] item = ParseShape(parsed.GetValue(input)!);
            bool zoo = ModelZoo.Names.Contains(name.ToLowerInvariant()) && !File.Exists(name);
            if (!zoo && !File.Exists(name) && !Directory.Exists(name))
            {
                throw new UserErrorException($"model {name} is neither a zoo model ({string.Join(", ", ModelZoo.Names)}) nor an existing file{Spelling.Suggestion(name, ModelZoo.Names)}");
            }
            Layer network = zoo
                ? ModelZoo.Create(name, item[0], imageSize: item[^1], random: new RandomSource(0))
                : SavedModel.Load(InputFiles.RequireFile(name, "model")).Model;
            if (parsed.GetValue(architecture))
            {
                context.Output.WriteLine(ModelArchitecture.ToJson(network, indented: true));
                return CliApp.Success;
            }
            int n = parsed.GetValue(batch);
            context.Output.Write(ModelSummary.Of(network, new Shape([n, .. item])).ToString());
            return CliApp.Success;
        });
        return command;
    }

    private static int[] ParseShape(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
            {
                throw new UserErrorException($"--input must be positive sizes like 1,28,28 but got '{text}'");
            }
        }
        return values;
    }
}
