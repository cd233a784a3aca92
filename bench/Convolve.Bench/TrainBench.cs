using System.Diagnostics;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;

namespace Convolve.Bench;

/// <summary>
/// The <c>train</c> mode: SGD-momentum training steps of the reference model fashion-cnn on
/// random batches of 64 (as compare_layers.py's train mode), reporting the step time, images/s,
/// the gen-2 collections during the timed steps and, with <c>--profile</c>, each layer's
/// forward and backward time within a step.
/// </summary>
internal static class TrainBench
{
    private const int Batch = 64, Batches = 8, Warmup = 10;
    private const double WarmupSeconds = 3;

    public static void Run(TextWriter output, int runs, bool profile)
    {
        Sequential model = ModelZoo.Create("fashion-cnn", random: new RandomSource(0));
        model.SetReuseBuffers(true); // as the Trainer does during Fit
        var optimizer = new Sgd(model.NamedParameters().Select(named => named.Parameter), learningRate: 0.05, momentum: 0.9);
        var loss = new CrossEntropyLoss();
        var random = new Random(0);
        var batches = Enumerable.Range(0, Batches).Select(i => (
            Images: Tensor.RandomUniform(new Shape(Batch, 1, 28, 28), (ulong)i + 1),
            Labels: Enumerable.Range(0, Batch).Select(_ => random.Next(10)).ToArray())).ToArray();
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
        LayerBench.Row(output, "train", "fashion-cnn step", measurement);
        output.WriteLine(FormattableString.Invariant(
            $"ROW\ttrain\tfashion-cnn images/s\t{Batch / measurement.Median:F1}\t{Batch / measurement.Max:F1}\t{Batch / measurement.Min:F1}\timages/s"));
        output.WriteLine($"ROW\ttrain\tfashion-cnn gen-2 GCs in {runs} steps\t{gen2}\t{gen2}\t{gen2}\tcount");
        if (profile)
        {
            Profile(output, model, batches[0].Images, runs);
        }
    }

    /// <summary>Each layer's forward and backward time in a training step, median over <paramref name="runs"/> steps.</summary>
    private static void Profile(TextWriter output, Sequential model, Tensor images, int runs)
    {
        int count = model.Count;
        var forward = new double[count, runs];
        var backward = new double[count, runs];
        for (int run = 0; run < runs; run++)
        {
            var inputs = new Tensor[count + 1];
            inputs[0] = images;
            for (int i = 0; i < count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                inputs[i + 1] = model[i].Forward(inputs[i]);
                forward[i, run] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            Tensor grad = Tensor.RandomNormal(inputs[count].Shape, seed: 3, std: 0.01f);
            for (int i = count - 1; i >= 0; i--)
            {
                long start = Stopwatch.GetTimestamp();
                if (i == 0)
                {
                    model[0].BackwardParametersOnly(grad);
                }
                else
                {
                    grad = model[i].Backward(grad);
                }
                backward[i, run] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }
        for (int i = 0; i < count; i++)
        {
            string name = $"{i}.{model[i].Name}";
            LayerBench.Row(output, "profile-forward", name, Summarize(forward, i, runs));
            LayerBench.Row(output, "profile-backward", name, Summarize(backward, i, runs));
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
