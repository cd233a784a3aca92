using System.CommandLine;
using System.Globalization;
using Convolve.Training;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve eval MODEL</c>: accuracy, per-class accuracy and the confusion matrix on the test set.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("model") { Description = "A model file: best.safetensors or last.safetensors of a run, or one written by Model.Save" };
        var data = new Option<string?>("--data") { Description = "Folder with the IDX files (default: as convolve train finds them)" };
        var batch = CliOptions.Integer("--batch-size", "Images per forward pass", 256, min: 1, alias: "-b");
        var command = new Command("eval", "Evaluate a saved model on the test set: loss, accuracy, per-class accuracy and the confusion matrix.") { file, data, batch };
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(file)!);
            var (test, files) = input.LoadData(parsed.GetValue(data), trainingSet: false, parsed.GetValue(batch));
            context.Output.WriteLine($"data: {files.Description}");
            EvaluationResult result = Evaluator.Evaluate(input.Model, test, parsed.GetValue(batch));
            Print(context.Output, input, result);
            return CliApp.Success;
        });
        return command;
    }

    private static void Print(TextWriter output, ModelInput input, EvaluationResult result)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{result.SampleCount:N0} test images: accuracy {result.Accuracy:P2} ({result.Correct:N0} correct), mean loss {result.Loss:F4}"));
        output.WriteLine();
        output.WriteLine("per-class accuracy:");
        int width = Math.Max(5, Enumerable.Range(0, result.Classes).Max(k => input.ClassName(k).Length));
        for (int k = 0; k < result.Classes; k++)
        {
            output.WriteLine(string.Create(c, $"  {k,2} {input.ClassName(k).PadRight(width)}  {result.PerClassAccuracy[k],8:P2}"));
        }
        output.WriteLine();
        output.WriteLine("confusion matrix (rows: true class, columns: predicted):");
        output.WriteLine("      " + string.Concat(Enumerable.Range(0, result.Classes).Select(k => k.ToString(c).PadLeft(6))));
        for (int t = 0; t < result.Classes; t++)
        {
            output.WriteLine(t.ToString(c).PadLeft(4) + "  " + string.Concat(Enumerable.Range(0, result.Classes).Select(p => result.Count(t, p).ToString(c).PadLeft(6))));
        }
    }
}
