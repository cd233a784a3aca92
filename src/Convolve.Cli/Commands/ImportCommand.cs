using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Convolve.Models;
using Convolve.Onnx;

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
        var file = new Argument<FileInfo>("model") { Description = "An ONNX model (.onnx)" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The checkpoint to write (default: the model's name with .safetensors)" };
        var mean = new Option<double?>("--mean") { Description = "Mean of the input pixels the model expects (default: as recorded in the file, else 0)" };
        var std = new Option<double?>("--std") { Description = "Standard deviation of the input pixels (default: as recorded in the file, else 1)" };
        var command = new Command("import", $"Import an ONNX model (opset {OnnxImporter.MinimumOpset}+; Conv, ConvTranspose, pooling, Gemm/MatMul, BatchNormalization, activations, Flatten, residual Add) as a Convolve checkpoint; an unsupported operator or attribute is named with its node (exit 2), nothing written.")
        {
            file, output, mean, std,
        };
        command.SetAction(parsed =>
        {
            FileInfo source = parsed.GetValue(file)!;
            string target = parsed.GetValue(output)?.FullName ?? Path.ChangeExtension(source.FullName, ".safetensors");
            if (string.Equals(Path.GetFullPath(target), source.FullName, StringComparison.Ordinal))
            {
                throw new UserErrorException($"--output {target} is the ONNX file itself; give another file name");
            }
            OnnxImport imported = OnnxImporter.Load(source.FullName);
            var metadata = Metadata(imported, source.FullName, parsed.GetValue(mean), parsed.GetValue(std));
            Model.Save(target, imported.Model, metadata);
            long parameters = imported.Model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size);
            context.Output.WriteLine($"{source.FullName}: {imported.Producer}, opset {imported.Opset}, input [N, {string.Join(", ", imported.ItemShape)}], {imported.Model.Count} layers, {parameters:N0} parameters");
            context.Output.WriteLine($"wrote {target} (inputs normalised with {ChannelStats.Read(metadata, target)})");
            return CliApp.Success;
        });
        return command;
    }

    private static bool IsNameList(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string?[]>(json) is { } names && names.All(n => n is not null);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The checkpoint's metadata: normalisation (the options, else the file's, else none), class names if recorded, the input shape.</summary>
    private static Dictionary<string, string> Metadata(OnnxImport imported, string path, double? mean, double? std)
    {
        bool recorded = imported.Metadata.ContainsKey(TrainingData.MeanKey) && imported.Metadata.ContainsKey(TrainingData.StdKey);
        ChannelStats normalization = mean is null && std is null && recorded
            ? ChannelStats.Read(imported.Metadata, path)
            : new ChannelStats([mean ?? 0], [std ?? 1]);
        if (!double.IsFinite(normalization.Mean[0]) || !(normalization.Std[0] > 0) || !double.IsFinite(normalization.Std[0]))
        {
            throw new UserErrorException($"--mean must be finite and --std finite and positive but got {mean?.ToString(CultureInfo.InvariantCulture)} and {std?.ToString(CultureInfo.InvariantCulture)}");
        }
        var metadata = new Dictionary<string, string> { [TrainingData.InputShapeKey] = JsonSerializer.Serialize(imported.ItemShape.ToArray()) };
        normalization.Describe(metadata);
        if (imported.Metadata.TryGetValue(TrainingData.ClassNamesKey, out string? names))
        {
            metadata[TrainingData.ClassNamesKey] = IsNameList(names) ? names : throw new UserErrorException($"{path}: metadata {TrainingData.ClassNamesKey} is not a JSON list of names");
        }
        return metadata;
    }
}
