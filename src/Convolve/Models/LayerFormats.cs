using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Convolve.Layers;

namespace Convolve.Models;

/// <summary>
/// The table of layer types the architecture JSON knows, by PyTorch's class name, with the
/// fields of each under PyTorch's argument names. Spatial layers (convolutions and pooling over
/// 1–3 dimensions) are in <see cref="SpatialLayerFormats"/>.
/// </summary>
internal static class LayerFormats
{
    private static readonly List<string> TypeNames = [];
    private static readonly Dictionary<string, LayerFormat> Formats = Create();

    /// <summary>Every known type name, in a fixed order.</summary>
    public static IReadOnlyCollection<string> Names { get; } = TypeNames.AsReadOnly();

    /// <summary>Looks up the format of <paramref name="type"/> (case-sensitive, as PyTorch's class names).</summary>
    public static bool TryGet(string type, [NotNullWhen(true)] out LayerFormat? format) => Formats.TryGetValue(type, out format);

    private static Dictionary<string, LayerFormat> Create()
    {
        var formats = new Dictionary<string, LayerFormat>(StringComparer.Ordinal);
        void Add(string type, string[] fields, Func<ArchitectureFields, ArchitectureReader, Layer> build)
        {
            formats.Add(type, new LayerFormat(["type", .. fields], build));
            TypeNames.Add(type);
        }
        SpatialLayerFormats.AddTo(Add);
        Add(nameof(AdaptiveAvgPool2d), ["output_size"], (f, _) => new AdaptiveAvgPool2d(f.Ints("output_size", 2)));
        Add(nameof(Linear), ["in_features", "out_features", "bias"],
            (f, r) => new Linear(f.Int("in_features"), f.Int("out_features"), f.Bool("bias"), r.Random));
        string[] norm = ["num_features", "eps", "momentum", "affine", "track_running_stats"];
        Add(nameof(BatchNorm1d), norm,
            (f, _) => new BatchNorm1d(f.Int("num_features"), f.Number("eps"), f.Number("momentum"), f.Bool("affine"), f.Bool("track_running_stats")));
        Add(nameof(BatchNorm2d), norm,
            (f, _) => new BatchNorm2d(f.Int("num_features"), f.Number("eps"), f.Number("momentum"), f.Bool("affine"), f.Bool("track_running_stats")));
        Add(nameof(ReLU), [], (_, _) => new ReLU());
        Add(nameof(LeakyReLU), ["negative_slope"], (f, _) => new LeakyReLU((float)f.Number("negative_slope")));
        Add(nameof(Sigmoid), [], (_, _) => new Sigmoid());
        Add(nameof(Tanh), [], (_, _) => new Tanh());
        Add(nameof(Flatten), ["start_dim", "end_dim"], (f, _) => new Flatten(f.Int("start_dim"), f.Int("end_dim")));
        Add(nameof(Dropout), ["p"], (f, r) => new Dropout((float)f.Number("p"), r.Random));
        Add(nameof(ConstantPad), ["padding_before", "padding_after", "value"], (f, _) => ReadConstantPad(f));
        Add(nameof(Sequential), ["layers"], ReadSequential);
        Add(nameof(Residual), ["body", "shortcut"], ReadResidual);
        return formats;
    }

    /// <summary>The padding sizes as arrays of one integer per spatial dimension; the value a number or <c>"inf"</c>/<c>"-inf"</c> (JSON has no infinities).</summary>
    private static ConstantPad ReadConstantPad(ArchitectureFields fields)
    {
        JsonElement before = fields.Element("padding_before");
        int dims = before.ValueKind == JsonValueKind.Array ? before.GetArrayLength() : 0;
        if (dims is < 1 or > 3)
        {
            throw ArchitectureFields.Error(fields.FieldPath("padding_before"), "an array of 1 to 3 integers", before);
        }
        JsonElement value = fields.Element("value");
        float number = value.ValueKind == JsonValueKind.String
            ? value.GetString() switch
            {
                "inf" => float.PositiveInfinity,
                "-inf" => float.NegativeInfinity,
                _ => throw ArchitectureFields.Error(fields.FieldPath("value"), "a finite number, \"inf\" or \"-inf\"", value),
            }
            : (float)fields.Number("value");
        return new ConstantPad(fields.Ints("padding_before", dims), fields.Ints("padding_after", dims), number);
    }

    private static Sequential ReadSequential(ArchitectureFields fields, ArchitectureReader reader)
    {
        JsonElement layers = fields.Element("layers");
        string path = fields.FieldPath("layers");
        if (layers.ValueKind != JsonValueKind.Array)
        {
            throw ArchitectureFields.Error(path, "an array of layer objects", layers);
        }
        var sequential = new Sequential();
        int i = 0;
        foreach (JsonElement item in layers.EnumerateArray())
        {
            sequential.Add(reader.ReadChild(item, $"{path}[{i++}]"));
        }
        return sequential;
    }

    private static Residual ReadResidual(ArchitectureFields fields, ArchitectureReader reader)
    {
        Layer body = reader.ReadChild(fields.Element("body"), fields.FieldPath("body"));
        JsonElement shortcut = fields.Element("shortcut");
        return new Residual(body, shortcut.ValueKind == JsonValueKind.Null ? null : reader.ReadChild(shortcut, fields.FieldPath("shortcut")));
    }
}
