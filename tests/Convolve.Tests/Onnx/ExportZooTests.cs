using Convolve.Layers;
using Convolve.Models;
using Convolve.Onnx;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Onnx;

/// <summary>Every zoo model, exported and run by ONNX Runtime, gives Convolve's logits; <c>CONVOLVE_ONNX_EXPORT_DIR</c> keeps the files.</summary>
public class ExportZooTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int> Zoo()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string name in ModelZoo.Names)
        {
            bool small = ModelZoo.SmallNames.Contains(name);
            data.Add(name, small ? 1 : 3, small ? 28 : 32);
            // The torchvision-sized models also with their ImageNet stems (64 pixels and more); the small ones on RGB.
            data.Add(name, 3, small ? 32 : 64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Zoo))]
    public void Onnx_Runtime_gives_Convolves_logits(string name, int channels, int size)
    {
        Sequential model = ModelZoo.Create(name, channels, 10, size, new RandomSource(5));
        OnnxTestModels.RandomizeStatistics(model, 6);
        model.Eval();
        var input = Tensor.RandomNormal(new Shape(3, channels, size, size), 7);
        Tensor expected = model.Forward(input);
        byte[] file = OnnxExporter.Export(model, new Shape(channels, size, size));
        double relative = OnnxComparison.AssertClose(OnnxRuntimeRunner.Run(file, input), expected, name);
        output.WriteLine($"{name} {channels}x{size}x{size}: relative difference {relative:E2}, {file.Length:N0} bytes");
        // .ci/run collects the files for Debian's ONNX checker (tools/onnx/check_onnx.py).
        if (Environment.GetEnvironmentVariable("CONVOLVE_ONNX_EXPORT_DIR") is { Length: > 0 } folder)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{name}-{channels}x{size}x{size}.onnx"), file);
        }
    }
}
