using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Golden;

namespace Convolve.Tests.Layers;

/// <summary>BatchNorm1d/2d against PyTorch 1.13 (tools/reference/make_golden_batchnorm.py).</summary>
public class BatchNormGoldenTests
{
    private static readonly Lazy<IReadOnlyList<GoldenCase>> Cases =
        new(() => GoldenFile.Read(Path.Combine(AppContext.BaseDirectory, "Data", "golden_batchnorm.bin.gz")));

    public static TheoryData<string> CaseNames => [.. Cases.Value.Select(c => c.Name)];

    [Fact]
    public void The_golden_file_covers_every_mode_and_option()
    {
        var cases = Cases.Value;
        Assert.True(cases.Count >= 20, $"only {cases.Count} cases");
        foreach (string kind in new[] { "BatchNorm1d", "BatchNorm2d" })
        {
            foreach (bool training in new[] { true, false })
            {
                Assert.Contains(cases, c => c.Kind == kind && c.BoolOf("training") == training);
            }
        }
        foreach (string option in new[] { "affine", "track_running_stats" })
        {
            Assert.Contains(cases, c => c.BoolOf(option));
            Assert.Contains(cases, c => !c.BoolOf(option));
        }
        Assert.Contains(cases, c => c.Kind == "BatchNorm1d" && c["input"].Rank == 2);
        Assert.Contains(cases, c => c.Kind == "BatchNorm1d" && c["input"].Rank == 3);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_backward_and_running_statistics_match_PyTorch(string name)
    {
        var golden = Cases.Value.Single(c => c.Name == name);
        var layer = Create(golden);
        Tensor input = golden["input"];

        var output = layer.Forward(input);
        var gradInput = layer.Backward(golden["grad_output"]);

        Compare(golden, "output", output);
        Compare(golden, "grad_input", gradInput);
        if (layer.Affine)
        {
            Compare(golden, "grad_weight", layer.Weight!.Grad);
            Compare(golden, "grad_bias", layer.Bias!.Grad);
        }
        if (layer.TrackRunningStats)
        {
            Compare(golden, "running_mean_after", layer.RunningMean!);
            Compare(golden, "running_var_after", layer.RunningVar!);
            Assert.Equal(golden["num_batches_tracked_after"].Data, layer.NumBatchesTracked!.Data);
        }
    }

    private static BatchNorm Create(GoldenCase golden)
    {
        int features = golden.IntOf("num_features");
        double eps = golden.DoubleOf("eps"), momentum = golden.DoubleOf("momentum");
        bool affine = golden.BoolOf("affine"), track = golden.BoolOf("track_running_stats");
        BatchNorm layer = golden.Kind switch
        {
            "BatchNorm1d" => new BatchNorm1d(features, eps, momentum, affine, track),
            "BatchNorm2d" => new BatchNorm2d(features, eps, momentum, affine, track),
            _ => throw new InvalidDataException($"{golden}: unexpected kind {golden.Kind}"),
        };
        if (affine)
        {
            layer.Weight!.Load(golden["weight"].Data);
            layer.Bias!.Load(golden["bias"].Data);
        }
        if (track)
        {
            golden["running_mean_before"].Data.CopyTo(layer.RunningMean!.Data, 0);
            golden["running_var_before"].Data.CopyTo(layer.RunningVar!.Data, 0);
            layer.NumBatchesTracked!.Data[0] = golden["num_batches_tracked_before"].Data[0];
        }
        layer.SetTraining(golden.BoolOf("training"));
        return layer;
    }

    /// <summary>|ours − torch| ≤ 1e-4·(1 + |torch|) everywhere, with equal shapes.</summary>
    private static void Compare(GoldenCase golden, string tensor, Tensor actual) =>
        Testing.TensorAssert.Close(golden[tensor], actual, 1e-4, 1e-4, $"{golden.Name} {tensor}");
}
