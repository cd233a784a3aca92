using System.Diagnostics;
using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;

namespace Convolve.Bench;

/// <summary>
/// The <c>train</c> mode: SGD-momentum training steps of a zoo model (fashion-cnn unless
/// <c>--model</c> names another) on random batches of 64 (as compare_layers.py's train mode) of 1×28×28 images and 10 classes,
/// or with <c>--size S</c> of 3×S×S images and 1000 classes (torchvision's ImageNet setting; <c>--batch</c> sets the batch),
/// reporting the step time, images/s,
/// the gen-2 collections during the timed steps and, with <c>--profile</c>, each layer's
/// forward and backward time within a step.
/// </summary>
internal static class TrainBench
{
    /// <summary>Images per step unless <c>--batch</c> says otherwise.</summary>
    public const int DefaultBatch = 64;

    private const int Batches = 8, Warmup = 10;
    private const double WarmupSeconds = 3;

    public static void Run(TextWriter output, int runs, bool profile, string name, int batch, int? size)
    {
        var (channels, side, classes) = size is int s ? (3, s, 1000) : (1, 28, 10);
        Sequential model = ModelZoo.Create(name, inChannels: channels, classes: classes, imageSize: side, random: new RandomSource(0));
        model.SetReuseBuffers(true); // as the Trainer does during Fit
        var optimizer = new Sgd(model.NamedParameters().Select(named => named.Parameter), learningRate: 0.05, momentum: 0.9);
        var loss = new CrossEntropyLoss();
        var random = new Random(0);
        var batches = Enumerable.Range(0, Batches).Select(i => (
            Images: Tensor.RandomUniform(new Shape(batch, channels, side, side), (ulong)i + 1),
            Labels: Enumerable.Range(0, batch).Select(_ => random.Next(classes)).ToArray())).ToArray();
        int step = 0;
        void Step()
        {
            var (images, labels) = batches[step++ % Batches];
            optimizer.ZeroGrad();
            loss.Forward(model.Forward(images), labels);
            model.BackwardParametersOnly(loss.Backward());
            optimizer.Step();
        }
        // At least Warmup steps and WarmupSeconds: .NET's tiered JIT (with PGO) settles code that
        // first runs on a pool thread only after a few seconds; measured too early, two-thread
        // convolutions looked up to 4x slower than they run in a real training epoch.
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < Warmup || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < WarmupSeconds; i++)
        {
            Step();
        }
        int gen2 = GC.CollectionCount(2);
        var seconds = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Step();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        gen2 = GC.CollectionCount(2) - gen2;
        Array.Sort(seconds);
        var measurement = new Measurement(seconds[runs / 2], seconds[0], seconds[^1], runs, 1);
        string label = size is null ? name : $"{name} {side}x{side} b{batch}";
        LayerBench.Row(output, "train", $"{label} step", measurement);
        output.WriteLine(FormattableString.Invariant(
            $"ROW\ttrain\t{label} images/s\t{batch / measurement.Median:F1}\t{batch / measurement.Max:F1}\t{batch / measurement.Min:F1}\timages/s"));
        output.WriteLine($"ROW\ttrain\t{label} gen-2 GCs in {runs} steps\t{gen2}\t{gen2}\t{gen2}\tcount");
        if (profile)
        {
            Profile(output, model, Step, runs);
        }
    }

    /// <summary>
    /// Each layer's forward and backward time per training step (any zoo model, residual blocks
    /// opened up), from <see cref="LayerProfiler"/> over <paramref name="runs"/> more steps, and its share of the step.
    /// </summary>
    private static void Profile(TextWriter output, Layer model, Action step, int runs)
    {
        IReadOnlyList<LayerProfileRow> rows;
        long start = Stopwatch.GetTimestamp();
        using (var profiler = new LayerProfiler(model))
        {
            for (int i = 0; i < runs; i++)
            {
                step();
            }
            rows = profiler.Rows(runs);
        }
        double stepSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds / runs;
        output.WriteLine(FormattableString.Invariant($"# profile: {stepSeconds * 1e3:F2} ms per step; per layer: forward, backward (ms per step), share of the step; containers: time outside their children"));
        foreach (LayerProfileRow row in rows)
        {
            string name = new string(' ', 2 * row.Depth) + $"{row.Name} {row.Type}";
            string own = row.OwnSeconds is double seconds ? FormattableString.Invariant($"  own {seconds * 1e3:F2}") : "";
            double share = row.OwnSeconds is null ? (row.ForwardSeconds + row.BackwardSeconds) / stepSeconds : 0;
            output.WriteLine(FormattableString.Invariant(
                $"PROFILE\t{name,-34}\t{row.ForwardSeconds * 1e3,8:F2}\t{row.BackwardSeconds * 1e3,8:F2}\t{(row.OwnSeconds is null ? share.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) : ""),5}{own}"));
        }
    }

    private static Measurement Summarize(double[,] samples, int row, int runs)
    {
        var values = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            values[run] = samples[row, run];
        }
        Array.Sort(values);
        return new Measurement(values[runs / 2], values[0], values[^1], runs, 1);
    }
}
