using System.Text.Json;
using Convolve.Onnx;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Operator sets 7–18 (issue 19): small files written by tools/onnx/onnx_opsets.py with
/// onnx.helper, each an operator in the form its version at that set has (Pad-2's and Clip-6's
/// attributes, Slice-1, ReduceMean before and after 18, Split before 13, Softmax's 2-D coercion
/// before 13, BatchNormalization-7, Gemm with every bias C…). Each imports and gives ONNX
/// Runtime's output on the same input within 1e-5 of its scale, or is refused with one line
/// naming the node, the operator and the values.
/// </summary>
public class ImportOpsetTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Data", "onnx", "opsets");

    private sealed record Case(string Name, long Opset, int[] InputShape, bool Refused, string[] Operators);

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(() =>
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        return json.RootElement.EnumerateArray().Select(e => new Case(
            e.GetProperty("name").GetString()!, e.GetProperty("opset").GetInt64(),
            [.. e.GetProperty("input_shape").EnumerateArray().Select(d => d.GetInt32())], e.GetProperty("refused").GetBoolean(),
            [.. e.GetProperty("operators").EnumerateArray().Select(o => o.GetString()!)])).ToDictionary(c => c.Name, StringComparer.Ordinal);
    });

    public static TheoryData<string> Imported() => [.. Cases.Value.Values.Where(c => !c.Refused).Select(c => c.Name).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Imported))]
    public void An_old_operator_set_imports_and_gives_onnx_runtimes_output(string name)
    {
        Case c = Cases.Value[name];
        byte[] file = File.ReadAllBytes(Path.Combine(Folder, name + ".onnx"));
        var input = Tensor.RandomNormal(new Shape(c.InputShape), 19);
        Tensor expected = OnnxRuntimeRunner.Run(file, input);
        OnnxImport imported = OnnxImporter.Read(file, name + ".onnx");
        Assert.Equal(c.Opset, imported.Opset);
        imported.Model.Eval();
        Tensor actual = imported.Model.Forward(input);
        double relative = OnnxComparison.AssertClose(actual, expected, name);
        output.WriteLine($"{name} (opset {c.Opset}: {string.Join(", ", c.Operators)}): {actual.Shape}, relative difference {relative:E2}");
    }

    [Fact]
    public void Every_operator_set_from_7_to_18_and_every_changed_operator_has_a_file()
    {
        Case[] imported = [.. Cases.Value.Values.Where(c => !c.Refused)];
        foreach (long opset in new long[] { 7, 8, 9, 10, 11, 13, 18 })
        {
            Assert.Contains(imported, c => c.Opset == opset);
        }
        // Each operator whose inputs were attributes, at a set before the move and at one after.
        foreach (var (op, movedAt) in new[] { ("Pad", 11L), ("Clip", 11L), ("Slice", 10L), ("ReduceMean", 18L), ("Split", 13L), ("Softmax", 13L), ("Unsqueeze", 13L) })
        {
            Assert.Contains(imported, c => c.Operators.Contains(op) && c.Opset < movedAt);
            Assert.Contains(imported, c => c.Operators.Contains(op) && c.Opset >= movedAt);
        }
        string[] unchanged = ["Conv", "ConvTranspose", "BatchNormalization", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "Dropout", "Flatten", "Reshape", "MatMul", "Add", "Mul", "Concat", "Identity", "Gemm", "Shape", "Gather"];
        Assert.All(unchanged, op => Assert.Contains(imported, c => c.Operators.Contains(op) && c.Opset <= 9));
    }

    [Theory]
    [InlineData("softmax11_flattened_opset11", true,
        "node 'y' (Softmax): attribute axis 1 is not supported: Softmax before operator set 13 (this model imports 11) normalises input [2, 3, 4, 5] over dimensions 1 to 3 flattened together; Convolve's Softmax takes one dimension after the batch")]
    [InlineData("softmax1_batch_opset9", true,
        "node 'y' (Softmax): attribute axis 0 is not supported: Softmax before operator set 13 (this model imports 9) normalises input [2, 5] over dimensions 0 to 1 flattened together, the batch included; Convolve's Softmax takes one dimension after the batch")]
    [InlineData("gemm_rows_differ_opset9", true,
        "node 'y' (Gemm): the bias C 'c' of shape [2, 4] has rows that differ (row 1 column 0: ")]
    [InlineData("gemm_transa_opset9", true,
        "node 'y' (Gemm): attribute transA 1 is not supported: A' = Aᵀ sums over the input's first dimension, the batch, which mixes the samples: no layer computes it (unless A is a Transpose, perm 1, 0, of a [batch, features] value that only this Gemm reads)")]
    [InlineData("upsample_opset9", true, "node 'y' (Upsample): operator Upsample is not supported; supported: ")]
    [InlineData("batchnorm_spatial0_opset7", true, "node 'y' (BatchNormalization): attribute spatial 0 is not supported: statistics are per channel here")]
    [InlineData("opset6", false, "the model uses operator set 6; Convolve reads 7 and later")]
    [InlineData("batchnorm_training_opset9", false,
        "node 'y' (BatchNormalization): it has 5 outputs; before operator set 14 that is the training form (the batch's statistics), and only the inference form is imported")]
    [InlineData("dropout_training_opset12", true,
        "node 'y' (Dropout): its training_mode input 'training' is the constant true; only the inference form (training_mode absent or a constant false: the identity) is imported")]
    [InlineData("pad_attribute_opset11", false, "node 'y' (Pad): attribute 'pads' belongs to Pad before operator set 11 (an input from then on); this model imports operator set 11")]
    [InlineData("slice_attribute_opset10", false, "node 'y' (Slice): attribute 'starts' belongs to Slice before operator set 10 (an input from then on); this model imports operator set 10")]
    [InlineData("split_uneven_opset11", false, "node 'a' (Split): without sizes it splits dimension 1 of [2, 7, 3] (7) into 2 equal parts, which do not divide it (a smaller last part exists from operator set 18; this model imports 11)")]
    public void What_an_old_operator_set_means_and_no_layer_computes_is_refused_by_name(string name, bool onnxRuntimeRuns, string expected)
    {
        Case c = Cases.Value[name];
        Assert.True(c.Refused);
        byte[] file = File.ReadAllBytes(Path.Combine(Folder, name + ".onnx"));
        if (onnxRuntimeRuns)
        {
            // The file is a valid model (ONNX Runtime computes it): the refusal is Convolve's, not a broken file's.
            Assert.True(OnnxRuntimeRunner.Run(file, Tensor.RandomNormal(new Shape(c.InputShape), 19)).Size > 0);
        }
        var ex = Assert.Throws<OnnxUnsupportedException>(() => OnnxImporter.Read(file, name + ".onnx"));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith($"{name}.onnx: {expected}", ex.Message, StringComparison.Ordinal);
        output.WriteLine(ex.Message);
    }

    [Fact]
    public void Every_refusal_file_has_its_message_checked()
    {
        string[] checkedNames = [.. typeof(ImportOpsetTests).GetMethod(nameof(What_an_old_operator_set_means_and_no_layer_computes_is_refused_by_name))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>().Select(a => (string)a.GetData(null!).First()[0])];
        Assert.Equal(Cases.Value.Values.Where(c => c.Refused).Select(c => c.Name).Order(StringComparer.Ordinal), checkedNames.Order(StringComparer.Ordinal));
    }
}
