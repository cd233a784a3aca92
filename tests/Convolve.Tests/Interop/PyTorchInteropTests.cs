using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;

namespace Convolve.Tests.Interop;

/// <summary>
/// Weights trained in PyTorch, exported by tools/interop/torch_to_convolve.py, give PyTorch's
/// logits in Convolve (and the reverse direction, when its fixture exists: a Convolve-trained
/// checkpoint whose logits PyTorch computed through tools/interop/convolve_interop.py).
/// Fixtures: tools/interop/make_fixtures.py.
/// </summary>
public class PyTorchInteropTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "interop", name);

    public static TheoryData<string> Directions() => ["torch", "convolve"];

    [Theory]
    [MemberData(nameof(Directions))]
    public void Fashion_cnn_logits_agree_within_1e4(string trainedBy)
    {
        string model = Fixture($"{trainedBy}-fashion-cnn.safetensors");
        string probe = Fixture($"{trainedBy}-fashion-cnn.probe.safetensors");
        Assert.True(File.Exists(model) && File.Exists(probe), $"missing fixture {model}: run tools/interop/make_fixtures.py");

        Layer network = Model.Load(model);
        network.Eval();
        Checkpoint expected = CheckpointReader.Load(probe);
        float[] logits = network.Forward(expected["input"].ToTensor()).Data;
        float[] torchLogits = expected["logits"].ToSingleArray();
        Assert.Equal(torchLogits.Length, logits.Length);
        double worst = logits.Zip(torchLogits, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"{trainedBy}-trained fashion-cnn: largest |Δlogit| {worst:G3} over {logits.Length} logits");
        Assert.True(worst <= 1e-4, $"largest |Δlogit| {worst:G3} between Convolve and PyTorch for the {trainedBy}-trained model");
        Assert.True(torchLogits.Max() - torchLogits.Min() > 1, "the probe logits are too flat to show anything");
    }
}
