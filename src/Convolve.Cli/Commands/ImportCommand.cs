using Convolve.Layers;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Convolve.Data;
using Convolve.Models;
using Convolve.Onnx;
using Convolve.Serialization;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve import MODEL.onnx -o MODEL.safetensors</c>: an ONNX model (PyTorch's
/// torch.onnx.export, or Convolve's own export) as a Convolve checkpoint that eval, predict,
/// summary and visualize take. The input normalisation and class names come from the ONNX
/// metadata when it records them (Convolve's exports do), else from --mean and --std.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("model") { Description = "An ONNX model (.onnx)" };
        var output = new Option<string?>("--output", "-o") { Description = "The checkpoint to write (default: the model's name with .safetensors)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the output file if it exists (otherwise refused)" };
        var mean = CliOptions.OptionalNumber("--mean", "Mean of the input pixels the model expects (default: as recorded in the file, else 0)", double.MinValue, minInclusive: true);
        var std = CliOptions.OptionalNumber("--std", "Standard deviation of the input pixels (default: as recorded in the file, else 1)", 0, minInclusive: false);
        var command = new Command("import", $"Import an ONNX model (opset {OnnxImporter.MinimumOpset}+; Conv, ConvTranspose, pooling, Gemm/MatMul, BatchNormalization, activations, Flatten, residual Add) as a Convolve checkpoint; an unsupported operator or attribute is named with its node (exit 2), nothing written.")
        {
            file, output, overwrite, mean, std,
        };
        command.SetAction(parsed =>
        {
            string source = InputFiles.RequireFile(parsed.GetValue(file)!, "model");
            string given = parsed.GetValue(output) ?? Path.ChangeExtension(source, ".safetensors");
            string target = InputFiles.RequireOutput(given, "--output", parsed.GetValue(overwrite), source);
            OnnxImport imported = OnnxImporter.Load(source);
            InputNormalization normalization = Normalization(imported, source, parsed.GetValue(mean), parsed.GetValue(std));
            var metadata = ModelMetadata.Describe(normalization, ClassNames(imported, source));
            metadata[TrainingData.InputShapeKey] = JsonSerializer.Serialize(imported.ItemShape.ToArray());
            Model.Save(target, imported.Model, metadata, normalization);
            long parameters = imported.Model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{source}: {imported.Producer}, opset {imported.Opset}, input [N, {string.Join(", ", imported.ItemShape)}], {(imported.Model is [Graph graph] ? $"a graph of {graph.Nodes.Count} nodes" : $"{imported.Model.Count} layers")}, {parameters:N0} parameters"));
            context.Output.WriteLine($"wrote {target} (inputs normalised with {normalization})");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The options' normalisation, else the file's (checked as a model file's is), else none.</summary>
    private static InputNormalization Normalization(OnnxImport imported, string path, double? mean, double? std)
    {
        if (mean is not null || std is not null)
        {
            return new InputNormalization(mean ?? 0, std ?? 1);
        }
        try
        {
            return ModelMetadata.ReadNormalization(imported.Metadata, path) ?? InputNormalization.None;
        }
        catch (CheckpointFormatException ex)
        {
            throw new UserErrorException($"{ex.Message}; give --mean and --std");
        }
    }

    /// <summary>The class names the file records, checked; null when it records none.</summary>
    private static IReadOnlyList<string>? ClassNames(OnnxImport imported, string path)
    {
        try
        {
            IReadOnlyList<string> names = ModelMetadata.ReadClassNames(imported.Metadata, path);
            return names.Count > 0 ? names : null;
        }
        catch (CheckpointFormatException ex)
        {
            throw new UserErrorException(ex.Message);
        }
    }
}
