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

        bool offset = golden.BoolOf("offset_case");
        Compare(golden, "output", output, offset);
        Compare(golden, "grad_input", gradInput, offset, offset ? GradInputTermScale(golden, layer) : 0);
        if (layer.Affine)
        {
            Compare(golden, "grad_weight", layer.Weight!.Grad, offset);
            Compare(golden, "grad_bias", layer.Bias!.Grad, offset);
        }
        if (layer.TrackRunningStats)
        {
            Compare(golden, "running_mean_after", layer.RunningMean!, offset);
            Compare(golden, "running_var_after", layer.RunningVar!, offset);
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

    [Fact]
    public void The_golden_file_has_the_offset_cases_of_issue_17()
    {
        var offsets = Cases.Value.Where(c => c.BoolOf("offset_case")).ToList();
        Assert.True(offsets.Count >= 12, $"only {offsets.Count} offset cases");
        Assert.Contains(offsets, c => c.Kind == "BatchNorm1d");
        Assert.Contains(offsets, c => c.Kind == "BatchNorm2d");
        Assert.Contains(offsets, c => c.DoubleOf("momentum") == 0);
        Assert.Contains(offsets, c => c.DoubleOf("momentum") == 1);
        Assert.Contains(offsets, c => c.BoolOf("affine"));
        Assert.Contains(offsets, c => !c.BoolOf("affine"));
        // At least one channel sits 30 away from zero with a spread well under 1.
        Assert.Contains(offsets, c => Math.Abs(c["input"].Data.Average()) > 1 || c["input"].Data.Max(Math.Abs) > 29);
    }

    /// <summary>
    /// |ours − torch| ≤ 1e-4·(1 + |torch|) everywhere, with equal shapes; for the offset cases of issue 17
    /// the stricter ≤ 1e-5·(|torch| + scale), scale = the tensor's largest magnitude (for grad_input, that
    /// of its terms γ·invstd·g when larger).
    /// </summary>
    private static void Compare(GoldenCase golden, string tensor, Tensor actual, bool strict, double termScale = 0)
    {
        Tensor expected = golden[tensor];
        if (!strict)
        {
            Testing.TensorAssert.Close(expected, actual, 1e-4, 1e-4, $"{golden.Name} {tensor}");
            return;
        }
        double scale = Math.Max(termScale, expected.Data.Max(v => Math.Abs((double)v)));
        Testing.TensorAssert.Close(expected, actual, 1e-5, 1e-5 * scale, $"{golden.Name} {tensor}");
    }

    /// <summary>max |γ·g|/√(var + eps) over the case, the variance taken from the input in double.</summary>
    private static double GradInputTermScale(GoldenCase golden, BatchNorm layer)
    {
        Tensor input = golden["input"], gradOutput = golden["grad_output"];
        int n = input.Shape[0], c = input.Shape[1], s = input.Shape.SizeFrom(2);
        double scale = 0;
        for (int ch = 0; ch < c; ch++)
        {
            var values = Enumerable.Range(0, n * s).Select(k => (double)input.Data[((k / s * c) + ch) * s + (k % s)]).ToArray();
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            double gamma = layer.Weight is null ? 1.0 : layer.Weight.Value.Data[ch];
            for (int k = 0; k < n * s; k++)
            {
                scale = Math.Max(scale, Math.Abs(gamma * gradOutput.Data[((k / s * c) + ch) * s + (k % s)] / Math.Sqrt(variance + layer.Eps)));
            }
        }
        return scale;
    }
}
