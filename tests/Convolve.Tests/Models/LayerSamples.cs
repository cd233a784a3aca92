using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Models;

/// <summary>
/// At least one instance of every concrete <see cref="Layer"/> type of the library, with options
/// away from the defaults, and an input shape each accepts.
/// </summary>
internal static class LayerSamples
{
    private static readonly Dictionary<string, (Func<Layer> Create, Shape Input)> Samples = new()
    {
        ["Conv1d"] = (() => new Conv1d(3, 4, 3, stride: 2, padding: 1, random: R()), new Shape(2, 3, 9)),
        ["Conv2d same, dilated, grouped"] = (() => new Conv2d(4, 6, (3, 4), padding: "same", dilation: (2, 1), groups: 2, bias: false, random: R()), new Shape(2, 4, 7, 6)),
        ["Conv2d full"] = (() => new Conv2d(2, 3, 3, padding: "full", random: R()), new Shape(1, 2, 4, 5)),
        ["Conv2d valid"] = (() => new Conv2d(2, 3, (2, 3), stride: (2, 1), padding: "valid", random: R()), new Shape(1, 2, 5, 5)),
        ["Conv3d"] = (() => new Conv3d(2, 4, (1, 2, 3), stride: (1, 2, 1), padding: (0, 1, 1), groups: 2, random: R()), new Shape(1, 2, 3, 4, 5)),
        ["ConvTranspose1d"] = (() => new ConvTranspose1d(4, 2, 3, stride: 2, padding: 1, outputPadding: 1, random: R()), new Shape(2, 4, 5)),
        ["ConvTranspose2d"] = (() => new ConvTranspose2d(4, 6, (3, 2), stride: (2, 1), padding: (1, 0), outputPadding: (1, 0), groups: 2, bias: false, dilation: (1, 2), random: R()), new Shape(1, 4, 3, 3)),
        ["ConvTranspose3d"] = (() => new ConvTranspose3d(2, 3, 2, stride: (1, 2, 2), random: R()), new Shape(1, 2, 2, 3, 2)),
        ["Linear"] = (() => new Linear(5, 3, random: R()), new Shape(4, 5)),
        ["Linear without bias"] = (() => new Linear(5, 3, bias: false, random: R()), new Shape(2, 3, 5)),
        ["MaxPool1d"] = (() => new MaxPool1d(3, stride: 2, padding: 1, dilation: 2, ceilMode: true), new Shape(2, 3, 10)),
        ["MaxPool2d"] = (() => new MaxPool2d((2, 3)), new Shape(1, 2, 6, 7)),
        ["MaxPool3d"] = (() => new MaxPool3d(2, stride: 1, padding: 1), new Shape(1, 1, 3, 3, 3)),
        ["AvgPool1d"] = (() => new AvgPool1d(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false), new Shape(2, 2, 8)),
        ["AvgPool2d"] = (() => new AvgPool2d(2, stride: (1, 2), padding: (1, 0)), new Shape(1, 3, 4, 5)),
        ["AvgPool3d"] = (() => new AvgPool3d((1, 2, 2), countIncludePad: false), new Shape(1, 2, 2, 4, 4)),
        ["LPPool1d"] = (() => new LPPool1d(2, 3, stride: 2, ceilMode: true), new Shape(2, 2, 8)),
        ["LPPool2d"] = (() => new LPPool2d(1.5, (2, 3)), new Shape(1, 2, 4, 6)),
        ["AdaptiveAvgPool2d"] = (() => new AdaptiveAvgPool2d((3, 2)), new Shape(2, 3, 7, 5)),
        ["BatchNorm1d"] = (() => new BatchNorm1d(4, eps: 1e-3, momentum: 0.2, affine: false, trackRunningStats: false), new Shape(3, 4)),
        ["BatchNorm2d"] = (() => new BatchNorm2d(3, momentum: 0.05), new Shape(2, 3, 2, 2)),
        ["ReLU"] = (() => new ReLU(), new Shape(2, 3)),
        ["LeakyReLU"] = (() => new LeakyReLU(0.2f), new Shape(2, 3)),
        ["Sigmoid"] = (() => new Sigmoid(), new Shape(2, 3)),
        ["Tanh"] = (() => new Tanh(), new Shape(2, 3)),
        ["Flatten"] = (() => new Flatten(0, 2), new Shape(2, 3, 4, 5)),
        ["Dropout"] = (() => new Dropout(0.3f), new Shape(2, 3)),
        ["ConstantPad 2-d"] = (() => new ConstantPad([0, 1], [2, 0], 0.25f), new Shape(2, 3, 4, 5)),
        ["ConstantPad -inf"] = (() => new ConstantPad([1], [0], float.NegativeInfinity), new Shape(2, 3, 4)),
        ["Hardtanh ReLU6"] = (() => new Hardtanh(0, 6), new Shape(2, 3, 4)),
        ["Hardtanh one-sided"] = (() => new Hardtanh(-0.5f, float.PositiveInfinity), new Shape(2, 5)),
        ["SiLU"] = (() => new SiLU(), new Shape(2, 3, 2, 2)),
        ["Hardswish"] = (() => new Hardswish(), new Shape(2, 3, 2, 2)),
        ["Hardsigmoid"] = (() => new Hardsigmoid(), new Shape(2, 3, 2, 2)),
        ["Softmax"] = (() => new Softmax(1), new Shape(2, 4, 3)),
        ["GlobalMaxPool"] = (() => new GlobalMaxPool(), new Shape(2, 3, 4, 5)),
        ["ReduceMean"] = (() => new ReduceMean(2, keepDim: false), new Shape(2, 3, 4, 5)),
        ["ReduceMean kept"] = (() => new ReduceMean(2, keepDim: true), new Shape(2, 3, 4, 5)),
        ["Slice"] = (() => new Slice(1, 1, 3), new Shape(2, 4, 3, 3)),
        ["ChannelShuffle"] = (() => new ChannelShuffle(3), new Shape(2, 6, 2, 3)),
        ["Concat"] = (() => new Concat(1), new Shape(2, 3, 2)),
        ["Graph"] = (SampleGraph, new Shape(2, 4, 6, 6)),
        ["Sequential"] = (() => new Sequential(new Conv2d(1, 2, 3, random: R()), new ReLU(), new Flatten(), new Linear(18, 2, random: R())), new Shape(2, 1, 5, 5)),
        ["Sequential empty"] = (() => new Sequential(), new Shape(2, 3)),
        ["Residual with shortcut"] = (() => new Residual(
            new Sequential(new Conv2d(2, 4, 3, stride: 2, padding: 1, random: R()), new BatchNorm2d(4)),
            new Conv2d(2, 4, 1, stride: 2, random: R())), new Shape(2, 2, 5, 5)),
        ["Residual identity"] = (() => new Residual(new Sequential(new Linear(3, 3, random: R()), new Tanh())), new Shape(2, 3)),
    };

    public static IEnumerable<string> Labels => Samples.Keys;

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string label in Samples.Keys)
        {
            data.Add(label);
        }
        return data;
    }

    public static Layer Create(string label) => Samples[label].Create();

    public static Shape Input(string label) => Samples[label].Input;

    /// <summary>Every non-abstract Layer subclass defined in the library.</summary>
    public static IEnumerable<Type> LibraryLayerTypes() =>
        typeof(Layer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract);

    /// <summary>
    /// A graph using every merge layer, a value read three times (x) and a squeeze-excitation gate:
    /// y = Concat(conv(x)·gate(conv(x)), x[:, 0:2]) + x-shaped sum of branches.
    /// </summary>
    public static Graph SampleGraph() => new(
    [
        new GraphNode("conv", new Conv2d(4, 4, 3, padding: 1, random: R()), ["input"]),
        new GraphNode("pool", new AdaptiveAvgPool2d(1), ["conv"]),
        new GraphNode("fc", new Conv2d(4, 4, 1, random: R()), ["pool"]),
        new GraphNode("gate", new Hardsigmoid(), ["fc"]),
        new GraphNode("scaled", new Mul(), ["conv", "gate"]),
        new GraphNode("half", new Slice(1, 0, 2), ["input"]),
        new GraphNode("joined", new Concat(1), ["scaled", "half"]),
        new GraphNode("shuffled", new ChannelShuffle(2), ["joined"]),
        new GraphNode("narrow", new Slice(1, 2, 6), ["shuffled"]),
        new GraphNode("sum", new Add(), ["narrow", "input"]),
    ], "sum");

    /// <summary>The type of <paramref name="layer"/> and of every layer inside it.</summary>
    public static IEnumerable<Type> TypesWithin(Layer layer) => layer switch
    {
        Sequential s => s.SelectMany(TypesWithin).Prepend(layer.GetType()),
        Residual r => TypesWithin(r.Body).Concat(r.Shortcut is null ? [] : TypesWithin(r.Shortcut)).Prepend(layer.GetType()),
        Graph g => g.Nodes.SelectMany(n => TypesWithin(n.Layer)).Prepend(layer.GetType()),
        _ => [layer.GetType()],
    };

    private static RandomSource R() => new(11);
}
