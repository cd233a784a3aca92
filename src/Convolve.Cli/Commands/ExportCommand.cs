using System.CommandLine;
using Convolve.Onnx;
using Convolve.Serialization;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve export MODEL --format npz|onnx</c>: a checkpoint's tensors for numpy users, or the
/// model as ONNX (opset 17) with its input normalisation and class names in the metadata.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("model") { Description = "A Convolve checkpoint (.safetensors)" };
        var format = new Option<string>("--format") { Description = "Output format: npz (the tensors) or onnx (the model, opset 17)", DefaultValueFactory = _ => "npz" };
        CliOptions.AcceptOnly(format, "npz", "onnx");
        var output = new Option<string?>("--output", "-o") { Description = "Output file (default: the model's name with .npz or .onnx)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the output file if it exists (otherwise refused)" };
        var inputShape = new Option<string?>("--input-shape") { Description = "onnx: the shape of one input, e.g. 1x28x28 (default: as recorded by 'convolve train')" };
        var command = new Command("export", "Export a checkpoint: npz loads with numpy.load(path)[name]; onnx runs in ONNX Runtime, PyTorch and other ONNX tools (a layer ONNX cannot express is refused by name, nothing written).")
        {
            file, format, output, overwrite, inputShape,
        };
        command.SetAction(parsed =>
        {
            string source = InputFiles.RequireFile(parsed.GetValue(file)!, "model");
            string kind = parsed.GetValue(format)!;
            string given = parsed.GetValue(output) ?? Path.ChangeExtension(source, "." + kind);
            string target = InputFiles.RequireOutput(given, "--output", parsed.GetValue(overwrite), source);
            Checkpoint checkpoint = CheckpointReader.Load(source);
            if (kind == "onnx")
            {
                OnnxExportRequest request = OnnxExportRequest.From(checkpoint, source, parsed.GetValue(inputShape));
                OnnxExporter.Save(target, request.Model, request.ItemShape, request.Metadata);
                context.Output.WriteLine($"wrote {target}: ONNX opset {OnnxExporter.Opset}, input '{OnnxExporter.InputName}' [N, {string.Join(", ", request.ItemShape)}], output '{OnnxExporter.OutputName}'");
                return CliApp.Success;
            }
            NpzWriter.Save(target, checkpoint.Tensors);
            context.Output.WriteLine($"wrote {checkpoint.Tensors.Count} tensors to {target}");
            return CliApp.Success;
        });
        return command;
    }
}
