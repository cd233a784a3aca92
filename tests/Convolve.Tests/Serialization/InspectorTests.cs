using System.Text;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

public class InspectorTests
{
    [Fact]
    public void A_valid_checkpoint_is_listed_without_loading_its_data()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.ckpt");
        CheckpointWriter.Save(path,
            [TensorData.Create("fc.weight", new Shape(10, 4), new float[40]), TensorData.Create("fc.bias", new Shape(10), new double[10]), TensorData.Create("step", new Shape(), [5L])],
            new Dictionary<string, string> { ["epoch"] = "3", ["architecture"] = new string('a', 300) });

        var report = CheckpointInspector.Inspect(path);

        Assert.True(report.IsValid);
        Assert.Null(report.Problem);
        Assert.Equal(new FileInfo(path).Length, report.FileLength);
        Assert.Equal(["fc.bias", "fc.weight", "step"], report.Tensors.Select(t => t.Name));
        Assert.Equal(new TensorSummary("fc.bias", TensorDType.F64, new Shape(10), 0, 80), report.Tensors[0]);
        Assert.Equal(new TensorSummary("fc.weight", TensorDType.F32, new Shape(10, 4), 80, 240), report.Tensors[1]);
        Assert.Equal(8, report.Tensors[2].ByteLength);
        Assert.Equal("3", report.Metadata["epoch"]);
        Assert.Equal(new FileInfo(path).Length - 8 - 248, report.HeaderLength);

        string text = report.ToString();
        Assert.StartsWith($"{path}: valid Convolve checkpoint, {report.FileLength} bytes, header {report.HeaderLength} bytes", text, StringComparison.Ordinal);
        Assert.Contains("  fc.weight  F32  [10, 4]  160 bytes", text, StringComparison.Ordinal);
        Assert.Contains("  epoch = 3", text, StringComparison.Ordinal);
        Assert.Contains("… (300 characters)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_reports_the_problem_and_still_lists_what_the_header_says()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("cut.ckpt");
        CheckpointWriter.Save(path, [TensorData.Create("a", new Shape(4), new float[4]), TensorData.Create("b", new Shape(4), new float[4])]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        var report = CheckpointInspector.Inspect(path);

        Assert.False(report.IsValid);
        Assert.Contains("tensor \"b\" has data_offsets [16, 32] but the data section holds only 29 bytes", report.Problem, StringComparison.Ordinal);
        Assert.Equal(Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Load(path)).Message, report.Problem);
        Assert.Equal(["a", "b"], report.Tensors.Select(t => t.Name));
        Assert.StartsWith("INVALID: ", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_header_does_not_parse_reports_the_offset_and_lists_nothing()
    {
        byte[] file = CraftedFile.Build(Encoding.UTF8.GetBytes("{\"a\" 1}"));
        var report = CheckpointInspector.Inspect(new MemoryStream(file), "bad");
        Assert.False(report.IsValid);
        Assert.Equal(13, report.ProblemOffset);
        Assert.Equal(7, report.HeaderLength);
        Assert.Empty(report.Tensors);
        Assert.Empty(report.Metadata);
    }

    [Fact]
    public void A_missing_file_is_reported_not_thrown()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("absent.ckpt");
        var report = CheckpointInspector.Inspect(path);
        Assert.False(report.IsValid);
        Assert.StartsWith($"{path}: cannot read the file: ", report.Problem, StringComparison.Ordinal);
        Assert.Null(report.FileLength);
        Assert.Empty(report.Tensors);
    }

    [Fact]
    public void A_file_of_another_format_lists_its_tensors_and_says_why_it_is_not_a_checkpoint()
    {
        string header = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        var report = CheckpointInspector.Inspect(new MemoryStream(CraftedFile.Build(header, [1, 2])), "other.safetensors");
        Assert.False(report.IsValid);
        Assert.Contains("\"format\" is \"pt\" but a Convolve checkpoint has \"convolve-checkpoint\"", report.Problem, StringComparison.Ordinal);
        Assert.Null(report.ProblemOffset);
        Assert.Equal("w", report.Tensors.Single().Name);
        Assert.Equal("pt", report.Metadata["format"]);
    }
}
