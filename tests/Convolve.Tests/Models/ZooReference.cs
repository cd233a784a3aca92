using System.Text.Json;
using Convolve.Tensors;

namespace Convolve.Tests.Models;

/// <summary>
/// Reads Data/zoo_reference.json, written by tools/reference/make_zoo_reference.py from the four zoo
/// networks built in PyTorch 1.13: their architecture JSON read from the torch modules' attributes,
/// state-dict names and shapes, parameter count and per-layer output shapes.
/// </summary>
internal static class ZooReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "zoo_reference.json"))));

    /// <summary>The input shape the output shapes were recorded for.</summary>
    public static Shape Input => ToShape(Document.Value.RootElement.GetProperty("input"));

    public static string[] ModelNames =>
        Document.Value.RootElement.GetProperty("models").EnumerateObject().Select(model => model.Name).ToArray();

    public static TheoryData<string> Names() => new(ModelNames);

    public static JsonElement Model(string name) => Document.Value.RootElement.GetProperty("models").GetProperty(name);

    /// <summary>The input shape of the "large" entries: 3 channels, 64×64, so the ImageNet stems.</summary>
    public static Shape LargeInput => ToShape(Document.Value.RootElement.GetProperty("large_input"));

    public static TheoryData<string> LargeNames() =>
        new(Document.Value.RootElement.GetProperty("large").EnumerateObject().Select(model => model.Name));

    /// <summary>resnet18, mobilenet-v2 or squeezenet at <see cref="LargeInput"/> with 10 classes; same fields as <see cref="Model"/>, and "torchvision".</summary>
    public static JsonElement Large(string name) => Document.Value.RootElement.GetProperty("large").GetProperty(name);

    /// <summary>torchvision 0.14's own state_dict entries (names and shapes, in order) at <see cref="LargeInput"/> with 10 classes.</summary>
    public static (string Name, Shape Shape)[] TorchvisionStateDict(string name) => Entries(Large(name).GetProperty("torchvision").GetProperty("state_dict"));

    /// <summary>torchvision's parameter count for 3 channels and 1000 classes.</summary>
    public static long TorchvisionParameterCount(string name) => Large(name).GetProperty("torchvision").GetProperty("numel_1000_classes").GetInt64();

    public static (string Name, Shape Shape)[] Entries(JsonElement entry, string field) => Entries(entry.GetProperty(field));

    /// <summary>The architecture JSON as PyTorch's modules describe themselves.</summary>
    public static string Architecture(string name) => Model(name).GetProperty("architecture").GetRawText();

    /// <summary>PyTorch's sum of parameter numel.</summary>
    public static long ParameterCount(string name) => Model(name).GetProperty("numel").GetInt64();

    public static (string Name, Shape Shape)[] Parameters(string name) => Entries(Model(name).GetProperty("parameters"));

    public static (string Name, Shape Shape)[] Buffers(string name) => Entries(Model(name).GetProperty("buffers"));

    public static (string Name, Shape Shape)[] OutputShapes(string name) => Entries(Model(name).GetProperty("output_shapes"));

    private static (string Name, Shape Shape)[] Entries(JsonElement list) =>
        list.EnumerateArray().Select(e => (e[0].GetString()!, ToShape(e[1]))).ToArray();

    private static Shape ToShape(JsonElement dims) => new(dims.EnumerateArray().Select(d => d.GetInt32()).ToArray());
}
