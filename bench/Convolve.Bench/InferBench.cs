using Convolve.Inference;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Onnx;
using Convolve.Serialization;
using Convolve.Tensors;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = Convolve.Tensors.Tensor;

namespace Convolve.Bench;

/// <summary>
/// The <c>infer</c> mode: evaluation-mode forward passes of each zoo model with random weights and random
/// batch-normalisation statistics (1×28×28, and 3×32×32 for vgg-small and resnet-small), at batch 1 and 64:
/// the model's own layers (<c>layers</c>, as evaluation ran before the plan), the compiled
/// <see cref="EvaluationPlan"/> with every convolution packing and unpacking its own image and its algorithm by the
/// training rule (<c>unblocked</c>, the plan before blocked chains) and as
/// compiled, runs of layers kept in the blocked layout (<c>plan</c>), and, with <c>--ort</c>, ONNX Runtime on the model exported by
/// <see cref="OnnxExporter"/> (CPU provider, ORT_ENABLE_ALL, intra-op threads = ours). Images/s and the worst
/// difference of each output from the layers', relative to the largest output magnitude.
/// </summary>
internal static class InferBench
{
    private static readonly (string Name, int Channels, int Size)[] Cases =
        [("lenet5", 1, 28), ("fashion-cnn", 1, 28), ("vgg-small", 1, 28), ("resnet-small", 1, 28), ("vgg-small", 3, 32), ("resnet-small", 3, 32)];

    /// <summary>
    /// The torchvision-sized zoo models at ImageNet's 3×224×224 (issue 19's speed item), run only when named with
    /// <c>--model</c>: a batch of 64 of them takes seconds per pass, too long for the default list.
    /// </summary>
    private static readonly (string Name, int Channels, int Size)[] LargeCases =
        [("resnet18", 3, 224), ("mobilenet-v2", 3, 224), ("squeezenet", 3, 224)];

    /// <param name="output">Where the rows go.</param>
    /// <param name="benchmark">The timing harness.</param>
    /// <param name="only">One model's name, or null for all.</param>
    /// <param name="batches">The batch sizes.</param>
    /// <param name="ort">Whether to run ONNX Runtime too.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads (ours are Parallelism.MaxThreads).</param>
    /// <param name="profile">Whether to print each plan step's time.</param>
    /// <param name="saveFolder">Where to write each case's weights, inputs and plan outputs (<c>NAME-CxSxS.npz</c>) for
    /// bench/compare_infer.py, or null.</param>
    public static void Run(TextWriter output, Benchmark benchmark, string? only, int[] batches, bool ort, int threads, bool profile, string? saveFolder)
    {
        foreach (var (name, channels, size) in Cases.Where(c => only is null || c.Name == only).Concat(LargeCases.Where(c => c.Name == only)))
        {
            Sequential model = ModelZoo.Create(name, inChannels: channels, imageSize: size, random: new RandomSource(0));
            RandomStatistics(model, new RandomSource(1));
            model.Eval();
            byte[]? onnx = ort ? OnnxExporter.Export(model, new Shape(channels, size, size)) : null;
            var saved = Model.StateTensors(model).ToList();
            foreach (int batch in batches)
            {
                var input = Tensor.RandomUniform(new Shape(batch, channels, size, size), 7);
                string label = $"{name} {channels}x{size}x{size} batch {batch}";
                float[] reference = (float[])model.Forward(input).Data.Clone();
                Report(output, label, "layers", batch, benchmark.Measure(() => model.Forward(input)), 0);
                int slices = EvaluationPlan.SliceImages;
                (BlockedChains.Enabled, BlockedChains.PrefersBlockedAlgorithms, EvaluationPlan.SliceImages) = (false, false, 0);
                EvaluationPlan unblocked = model.Compile(input.Shape);
                (BlockedChains.Enabled, BlockedChains.PrefersBlockedAlgorithms) = (true, true);
                EvaluationPlan whole = model.Compile(input.Shape);
                EvaluationPlan.SliceImages = slices;
                Report(output, label, "unblocked", batch, benchmark.Measure(() => unblocked.Run(input)), RelativeDifference(unblocked.Run(input).Data, reference));
                Report(output, label, "whole", batch, benchmark.Measure(() => whole.Run(input)), RelativeDifference(whole.Run(input).Data, reference));
                EvaluationPlan plan = model.Compile(input.Shape);
                Report(output, label, "plan", batch, benchmark.Measure(() => plan.Run(input)), RelativeDifference(plan.Run(input).Data, reference));
                if (profile)
                {
                    foreach (var (step, milliseconds) in plan.Profile(input, 21))
                    {
                        output.WriteLine(FormattableString.Invariant($"PROFILE\t{label}\t{milliseconds:F4} ms\t{step}"));
                    }
                }
                if (onnx is not null)
                {
                    RunOnnxRuntime(output, benchmark, onnx, input, label, batch, reference, threads);
                }
                saved.Add(TensorData.Create($"input.{batch}", input.Shape, input.Span));
                saved.Add(TensorData.Create($"output.{batch}", plan.OutputShape, plan.Run(input).Span));
            }
            if (saveFolder is not null)
            {
                Directory.CreateDirectory(saveFolder);
                NpzWriter.Save(Path.Combine(saveFolder, $"{name}-{channels}x{size}x{size}.npz"), saved);
            }
        }
    }

    private static void RunOnnxRuntime(TextWriter output, Benchmark benchmark, byte[] onnx, Tensor input, string label, int batch, float[] reference, int threads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        using var session = new InferenceSession(onnx, options);
        var inputs = new[] { NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, new DenseTensor(input.Data, input.Shape.ToArray())) };
        float[] Once()
        {
            using var results = session.Run(inputs);
            return results.Single().AsTensor<float>().ToArray();
        }
        Report(output, label, "onnxruntime", batch, benchmark.Measure(() => Once()), RelativeDifference(Once(), reference));
    }

    private static void Report(TextWriter output, string label, string engine, int batch, Measurement m, double difference) =>
        output.WriteLine(FormattableString.Invariant(
            $"ROW\tinfer\t{label} {engine}\t{batch / m.Median:F1}\t{batch / m.Max:F1}\t{batch / m.Min:F1}\timages/s\tdiff {difference:E1}"));

    /// <summary>Running statistics and affine parameters of every batch normalisation away from the identity, so folding them matters.</summary>
    private static void RandomStatistics(Layer model, RandomSource random)
    {
        foreach (var (name, buffer) in model.NamedBuffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.FillNormal(random, 0f, 0.5f);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.FillUniform(random, 0.3f, 2.5f);
            }
        }
    }

    private static double RelativeDifference(float[] actual, float[] expected)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return worst / Math.Max(scale, 1e-30);
    }
}
