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
