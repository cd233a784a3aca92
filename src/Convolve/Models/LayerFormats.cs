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
        Add(nameof(Hardtanh), ["min_val", "max_val"], (f, _) => new Hardtanh(Float(f, "min_val"), Float(f, "max_val")));
        Add(nameof(SiLU), [], (_, _) => new SiLU());
        Add(nameof(Hardswish), [], (_, _) => new Hardswish());
        Add(nameof(Hardsigmoid), [], (_, _) => new Hardsigmoid());
        Add(nameof(Softmax), ["dim"], (f, _) => new Softmax(f.Int("dim")));
        Add(nameof(GlobalMaxPool), [], (_, _) => new GlobalMaxPool());
        Add(nameof(ReduceMean), ["start_dim", "keepdim"], (f, _) => new ReduceMean(f.Int("start_dim"), f.Bool("keepdim")));
        Add(nameof(Slice), ["dim", "start", "end"], (f, _) => new Slice(f.Int("dim"), f.Int("start"), f.Int("end")));
        Add(nameof(ChannelShuffle), ["groups"], (f, _) => new ChannelShuffle(f.Int("groups")));
        Add(nameof(Concat), ["dim"], (f, _) => new Concat(f.Int("dim")));
        Add(nameof(Layers.Add), [], (_, _) => new Layers.Add());
        Add(nameof(Mul), [], (_, _) => new Mul());
        Add(nameof(Graph), ["input", "output", "nodes"], ReadGraph);
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
        return new ConstantPad(fields.Ints("padding_before", dims), fields.Ints("padding_after", dims), Float(fields, "value"));
    }

    /// <summary>A number, or <c>"inf"</c> / <c>"-inf"</c> (JSON has no infinities).</summary>
    private static float Float(ArchitectureFields fields, string name)
    {
        JsonElement value = fields.Element(name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString() switch
            {
                "inf" => float.PositiveInfinity,
                "-inf" => float.NegativeInfinity,
                _ => throw ArchitectureFields.Error(fields.FieldPath(name), "a finite number, \"inf\" or \"-inf\"", value),
            }
            : (float)fields.Number(name);
    }

    /// <summary>A graph: its input and output value names and its nodes, each <c>{"name", "inputs", "layer"}</c>, in the order they run.</summary>
    private static Graph ReadGraph(ArchitectureFields fields, ArchitectureReader reader)
    {
        var nodes = new List<GraphNode>();
        foreach (var (node, path) in GraphNodes(fields))
        {
            JsonElement inputs = node.Element("inputs");
            if (inputs.ValueKind != JsonValueKind.Array || inputs.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            {
                throw ArchitectureFields.Error(node.FieldPath("inputs"), "an array of value names", inputs);
            }
            nodes.Add(new GraphNode(node.String("name"), reader.ReadChild(node.Element("layer"), node.FieldPath("layer")), [.. inputs.EnumerateArray().Select(v => v.GetString()!)]));
        }
        return new Graph(nodes, fields.String("output"), fields.String("input"));
    }

    /// <summary>The node objects of a graph's <c>nodes</c> array, each checked to carry exactly <c>name</c>, <c>inputs</c> and <c>layer</c>.</summary>
    internal static IEnumerable<(ArchitectureFields Node, string Path)> GraphNodes(ArchitectureFields fields)
    {
        JsonElement nodes = fields.Element("nodes");
        string path = fields.FieldPath("nodes");
        if (nodes.ValueKind != JsonValueKind.Array)
        {
            throw ArchitectureFields.Error(path, "an array of node objects", nodes);
        }
        int i = 0;
        foreach (JsonElement item in nodes.EnumerateArray())
        {
            var node = new ArchitectureFields(item, $"{path}[{i++}]");
            node.RequireExactly("a graph node", ["name", "inputs", "layer"]);
            yield return (node, node.Path);
        }
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
