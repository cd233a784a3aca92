using System.Text.Json;
using Convolve.Onnx;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Networks exported by PyTorch 1.13's torch.onnx.export (tools/onnx/make_fixtures.py): the four
/// zoo models, two of them also for RGB, and others using the rest of the operator set. Imported,
/// they give PyTorch's logits; one with an operator Convolve lacks is refused by name.
/// </summary>
public class PyTorchFixtureTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Data", "onnx");

    public static TheoryData<string> Fixtures() =>
        [.. Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_small_zoo_model_has_a_fixture()
    {
        // resnet18, mobilenet-v2 and squeezenet would be 2.9–45 MB files; their architectures are
        // torchvision's (make_zoo_reference.py asserts the same logits), whose own exports
        // tools/onnx/export_torchvision.py imports in CI (CONVOLVE_TORCHVISION_ONNX).
        Assert.All(Convolve.Models.ModelZoo.SmallNames, name => Assert.True(File.Exists(Path.Combine(Folder, name + ".onnx")), name));
        Assert.True(Fixtures().Count >= 10);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Imported_models_give_PyTorchs_logits_or_are_refused_by_name(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        JsonElement root = json.RootElement;
        string path = Path.Combine(Folder, name + ".onnx");
        if (root.TryGetProperty("refused", out JsonElement refused))
        {
            var ex = Assert.Throws<OnnxUnsupportedException>(() => OnnxImporter.Load(path));
            Assert.Equal(refused.GetString(), ex.OpType);
            Assert.Contains($"node '{ex.NodeName}' ({ex.OpType}): operator {ex.OpType} is not supported", ex.Message, StringComparison.Ordinal);
            return;
        }
        var input = new Tensor(new Shape(Ints(root, "input_shape")), Floats(root, "input"));
        var expected = new Tensor(new Shape(Ints(root, "logits_shape")), Floats(root, "logits"));
        OnnxImport imported = OnnxImporter.Load(path);
        imported.Model.Eval();
        Assert.Equal(new Shape(input.Shape.Dimensions[1..]), imported.ItemShape);
        double ours = OnnxComparison.AssertClose(imported.Model.Forward(input), expected, $"{name} imported");
        double runtime = OnnxComparison.AssertClose(OnnxRuntimeRunner.Run(File.ReadAllBytes(path), input), expected, $"{name} in ONNX Runtime");
        output.WriteLine($"{name}: Convolve vs PyTorch {ours:E2}, ONNX Runtime vs PyTorch {runtime:E2} ({imported.Producer}, opset {imported.Opset})");
    }

    private static int[] Ints(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    private static float[] Floats(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble())];
}
