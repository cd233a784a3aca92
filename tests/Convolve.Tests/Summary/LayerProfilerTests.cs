using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;

namespace Convolve.Tests.Summary;

/// <summary>
/// <see cref="LayerProfiler"/> times every layer of a network in network order, shows a ReLU folded
/// into the convolution before it as taking no time of its own, can leave evaluation-mode calls
/// out (what <c>train --profile</c> uses), and allows one profiler at a time.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // LayerTiming's observer is process-wide
public sealed class LayerProfilerTests
{
    [Fact]
    public void A_training_step_is_timed_layer_by_layer_and_a_folded_ReLU_takes_no_time()
    {
        Sequential model = ModelZoo.Create("fashion-cnn", random: new RandomSource(1));
        var input = Tensor.RandomNormal(new Shape(8, 1, 28, 28), 2);
        IReadOnlyList<LayerProfileRow> rows;
        using (var profiler = new LayerProfiler(model))
        {
            for (int step = 0; step < 2; step++)
            {
                Tensor output = model.Forward(input);
                model.Backward(Tensor.RandomNormal(output.Shape, 3));
            }
            rows = profiler.Rows(2);
        }

        Assert.Equal(Enumerable.Range(0, model.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r.Name));
        Assert.Equal(model.Select(layer => layer.Name), rows.Select(r => r.Type));
        for (int i = 0; i < model.Count; i++)
        {
            bool foldedRelu = model[i] is ReLU && model[i - 1] is ConvNd;
            if (model[i] is ConvNd or MaxPoolNd or Linear)
            {
                Assert.True(rows[i].ForwardSeconds > 0 && rows[i].BackwardSeconds > 0, $"layer {i} ({rows[i].Type}) shows no time");
            }
            if (foldedRelu)
            {
                Assert.Equal(0, rows[i].ForwardSeconds + rows[i].BackwardSeconds);
            }
        }
        Assert.Contains(rows, r => r.Type == "ReLU" && r.ForwardSeconds > 0); // the ReLU after the first Linear is not folded
    }

    [Fact]
    public void Training_only_leaves_evaluation_mode_calls_out()
    {
        Sequential model = ModelZoo.Create("lenet5", random: new RandomSource(4));
        var input = Tensor.RandomNormal(new Shape(4, 1, 28, 28), 5);
        model.Eval();
        IReadOnlyList<LayerProfileRow> all, training;
        using (var profiler = new LayerProfiler(model))
        {
            model.Forward(input);
            all = profiler.Rows(1);
        }
        using (var profiler = new LayerProfiler(model, trainingOnly: true))
        {
            model.Forward(input);
            training = profiler.Rows(1);
        }

        Assert.True(all[0].ForwardSeconds > 0);
        Assert.All(training, row => Assert.Equal(0, row.ForwardSeconds + row.BackwardSeconds));
    }

    [Fact]
    public void Only_one_profiler_at_a_time()
    {
        Sequential model = ModelZoo.Create("lenet5", random: new RandomSource(6));
        using var first = new LayerProfiler(model);
        var ex = Assert.Throws<InvalidOperationException>(() => new LayerProfiler(model));
        Assert.Contains("another LayerProfiler", ex.Message, StringComparison.Ordinal);
    }
}
