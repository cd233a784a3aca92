using System.Diagnostics;
using Convolve.Layers;
using Convolve.Onnx;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Onnx;

/// <summary>
/// torchvision 0.14's classifiers as PyTorch exports them at opset 17, and four also at 9 or 10
/// (tools/onnx/export_torchvision.py writes them, their input and torchvision's logits into the folder named by CONVOLVE_TORCHVISION_ONNX;
/// the files are hundreds of MB and are not committed). Each must import, give torchvision's logits
/// within 1e-4 relative, and export again to a file ONNX Runtime computes the same logits from. The
/// re-exported files are left beside the originals (NAME.convolve.onnx) for ONNX's checker.
/// </summary>
public class TorchvisionModelTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Models() =>
    [
        "alexnet", "resnet18", "mobilenet_v2", "squeezenet1_1", "densenet121", "googlenet", "shufflenet_v2_x1_0",
        "efficientnet_b0", "mnasnet0_5", "resnext50_32x4d", "regnet_x_400mf", "mobilenet_v3_small", "vgg11_bn",
        // Older operator sets (export_torchvision.py --opset 9 / --opset 10, as .ci/run calls it): Split-2's
        // attribute in shufflenet's channel split, Clip-6's min and max in mobilenet_v2's ReLU6.
        "resnet18-opset9", "squeezenet1_1-opset9", "shufflenet_v2_x1_0-opset9", "mobilenet_v2-opset10",
    ];

    [TorchvisionTheory]
    [MemberData(nameof(Models))]
    public void A_torchvision_classifier_imports_with_its_logits_and_exports_again(string name)
    {
        string? folder = Environment.GetEnvironmentVariable(TorchvisionTheoryAttribute.Variable);
        string path = Path.Combine(folder!, name + ".onnx");
        Assert.True(File.Exists(path), $"{path} is missing: tools/onnx/export_torchvision.py writes it");
        var clock = Stopwatch.StartNew();
        OnnxImport imported = OnnxImporter.Load(path);
        Layer model = imported.Model;
        model.Eval();
        Tensor input = Read(Path.Combine(folder!, name + ".input.bin"), new Shape(1, 3, 224, 224));
        Tensor expected = Read(Path.Combine(folder!, name + ".logits.bin"), new Shape(1, 1000));
        double importMs = clock.Elapsed.TotalMilliseconds;
        Tensor logits = model.Forward(input);
        double relative = OnnxComparison.RelativeDifference(logits, expected);
        Assert.True(relative <= Tolerance, $"{name}: imported logits differ from torchvision's by {relative:E2} relative (limit {Tolerance:E0})");
        byte[] again = OnnxExporter.Export(model, imported.ItemShape);
        File.WriteAllBytes(Path.Combine(folder!, name + ".convolve.onnx"), again);
        double runtime = OnnxComparison.RelativeDifference(OnnxRuntimeRunner.Run(again, input), expected);
        Assert.True(runtime <= Tolerance, $"{name}: ONNX Runtime on the re-exported model differs from torchvision's logits by {runtime:E2} relative");
        string kind = model is Sequential { Count: 1 } s && s[0] is Graph g ? $"graph of {g.Nodes.Count} nodes" : "layer tree";
        output.WriteLine($"{name}: {kind}; torchvision {relative:E2}, ONNX Runtime on our export {runtime:E2}; import {importMs:F0} ms, total {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static Tensor Read(string path, Shape shape)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(shape.Size * sizeof(float), bytes.Length);
        var values = new float[shape.Size];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return new Tensor(shape, values);
    }
}
