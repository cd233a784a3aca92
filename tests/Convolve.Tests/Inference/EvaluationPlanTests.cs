using Convolve.Inference;
using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Inference;

/// <summary>
/// The compiled evaluation plan against the model's own evaluation-mode layers (its reference twin): every
/// zoo model at both input sizes and every convolution algorithm, with batch normalisation statistics far
/// from the identity so that folding them into the weights is really exercised.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // sets the process-wide ConvolutionAlgorithms.Default and Parallelism.MaxThreads
public class EvaluationPlanTests
{
    /// <summary>The worst error allowed, relative to the largest output magnitude.</summary>
    private const double Tolerance = 1e-5;

    public static TheoryData<string, int, int, ConvolutionAlgorithm> ZooCases() =>
        Cases([ConvolutionAlgorithm.Auto, ConvolutionAlgorithm.Im2Col, ConvolutionAlgorithm.Direct, ConvolutionAlgorithm.Winograd], ModelZoo.Names);

    /// <summary>Each of <paramref name="names"/> at 1×28×28, and vgg-small and resnet-small at 3×32×32, under each algorithm.</summary>
    internal static TheoryData<string, int, int, ConvolutionAlgorithm> Cases(ConvolutionAlgorithm[] algorithms, IEnumerable<string> names)
    {
        var data = new TheoryData<string, int, int, ConvolutionAlgorithm>();
        foreach (ConvolutionAlgorithm algorithm in algorithms)
        {
            foreach (string name in names)
            {
                data.Add(name, 1, 28, algorithm);
            }
            data.Add("vgg-small", 3, 32, algorithm);
            data.Add("resnet-small", 3, 32, algorithm);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ZooCases))]
    public void Plan_agrees_with_the_layers_for_every_zoo_model(string name, int channels, int size, ConvolutionAlgorithm algorithm)
    {
        ConvolutionAlgorithm saved = ConvolutionAlgorithms.Default;
        try
        {
            ConvolutionAlgorithms.Default = algorithm;
            Sequential model = EvaluationModel(name, channels, size, seed: 5);
            foreach (int batch in new[] { 1, 3 })
            {
                var input = Tensor.RandomNormal(new Shape(batch, channels, size, size), (ulong)(30 + batch));
                float[] expected = model.Forward(input).Data;
                EvaluationPlan plan = model.Compile(input.Shape);
                float[] actual = (float[])plan.Run(input).Data.Clone();
                double error = RelativeError(actual, expected);
                Assert.True(error <= Tolerance, $"{name} {channels}×{size}×{size} batch {batch} {algorithm}: worst |plan − layers| / max|layers| = {error:E2} > {Tolerance:E0}");
                Assert.Equal(model.OutputShape(input.Shape), plan.OutputShape);
                // A second run on the same buffers gives the same numbers.
                TensorAssert.Identical(actual, plan.Run(input).Data, $"{name}: second run");
            }
        }
        finally
        {
            ConvolutionAlgorithms.Default = saved;
        }
    }

    [Fact]
    public void Batch_normalisation_is_folded_and_the_residual_sum_is_done_by_the_convolution()
    {
        Sequential model = EvaluationModel("resnet-small", 1, 28, seed: 2);
        IReadOnlyList<string> steps = model.Compile(new Shape(2, 1, 28, 28)).Steps;
        Assert.StartsWith("Conv2d + BatchNorm2d + ReLU", steps[0], StringComparison.Ordinal);
        Assert.Equal(3, steps.Count(step => step.Contains("added in the last convolution, + ReLU", StringComparison.Ordinal)));
        Assert.DoesNotContain(steps, step => step.StartsWith("BatchNorm", StringComparison.Ordinal) || step == "ReLU");
        IReadOnlyList<string> vgg = EvaluationModel("vgg-small", 1, 28, seed: 2).Compile(new Shape(2, 1, 28, 28)).Steps;
        Assert.Equal(["Conv2d + BatchNorm2d + ReLU", "Conv2d + BatchNorm2d + ReLU", "MaxPool2d"], vgg.Take(3).Select(s => s.Split(" (")[0]));
        Assert.Contains("Linear + ReLU", vgg);
        Assert.DoesNotContain(vgg, step => step.Contains("Dropout", StringComparison.Ordinal));
    }

    [Fact]
    public void Layers_the_plan_does_not_fuse_still_agree()
    {
        var random = new RandomSource(8);
        var model = new Sequential(
            new BatchNorm2d(2), new ReLU(), new Conv2d(2, 4, 3, padding: 1, random: random), new LeakyReLU(0.1f),
            new Residual(new Sequential(new Conv2d(4, 4, 3, padding: 1, random: random), new ReLU())),
            new Residual(new Sequential(new Conv2d(4, 4, 1, random: random), new BatchNorm2d(4)), new Sequential(new AvgPool2d(1))),
            new ConvTranspose2d(4, 3, 2, stride: 2, random: random), new BatchNorm2d(3), new ReLU(),
            new Sequential(new MaxPool2d(2), new Flatten()), new Linear(3 * 6 * 6, 5, random: random), new Sigmoid());
        RandomiseStatistics(model, new RandomSource(3));
        model.Eval();
        var input = Tensor.RandomNormal(new Shape(2, 2, 6, 6), 4);
        float[] expected = model.Forward(input).Data;
        double error = RelativeError(model.Compile(input.Shape).Run(input).Data, expected);
        Assert.True(error <= Tolerance, $"mixed model: {error:E2}");
    }

    [Theory]
    [InlineData("fashion-cnn")] // batch 1: the direct convolution splits its image over the threads
    [InlineData("vgg-small")] // batch 1: so do the Winograd convolutions
    [InlineData("resnet-small")]
    public void Plan_results_are_bit_identical_for_any_thread_count(string name)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Sequential model = EvaluationModel(name, 1, 28, seed: 6);
            foreach (int batch in new[] { 1, 5 })
            {
                var input = Tensor.RandomNormal(new Shape(batch, 1, 28, 28), 12);
                var runs = new List<float[]>();
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    Parallelism.MaxThreads = threads;
                    runs.Add((float[])model.Compile(input.Shape).Run(input).Data.Clone());
                }
                TensorAssert.Identical(runs[0], runs[1], $"{name} batch {batch}: 2 threads against 1");
                TensorAssert.Identical(runs[0], runs[2], $"{name} batch {batch}: 3 threads against 1");
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Theory]
    [InlineData("vgg-small")]
    [InlineData("resnet-small")]
    public void Input_gradients_of_an_evaluation_model_still_come_from_its_layers(string name)
    {
        Sequential model = EvaluationModel(name, 1, 28, seed: 7);
        var input = Tensor.RandomNormal(new Shape(1, 1, 28, 28), 13);
        var gradOutput = Tensor.RandomNormal(new Shape(1, 10), 14);
        model.Forward(input);
        float[] before = (float[])model.Backward(gradOutput).Data.Clone();

        EvaluationPlan plan = model.Compile(input.Shape);
        plan.Run(input);
        model.Forward(input);
        float[] gradient = model.Backward(gradOutput).Data;
        TensorAssert.Identical(before, gradient, $"{name}: the input gradient after a plan ran");

        // The layers' gradient is the derivative of the plan's function: a central difference along a random direction.
        var direction = Tensor.RandomNormal(input.Shape, 15);
        const float h = 1e-3f;
        double Along(float sign, bool layers = false)
        {
            var shifted = new Tensor(input.Shape);
            for (int i = 0; i < shifted.Size; i++)
            {
                shifted.Data[i] = input.Data[i] + (sign * h * direction.Data[i]);
            }
            float[] logits = (layers ? model.Forward(shifted) : plan.Run(shifted)).Data;
            return logits.Select((value, j) => (double)value * gradOutput.Data[j]).Sum();
        }
        double numeric = (Along(1) - Along(-1)) / (2 * h);
        double viaLayers = (Along(1, true) - Along(-1, true)) / (2 * h);
        double analytic = gradient.Select((g, i) => (double)g * direction.Data[i]).Sum();
        // A coarse check (a wrong sign, a missing normalisation scale or a wrong fold is far outside it): the
        // difference quotient carries float32 rounding noise and the ReLU and max-pool kinks the step crosses,
        // measured up to 8 % for vgg-small at h = 1e-3, 2 % for resnet-small.
        Assert.True(Math.Abs(numeric - analytic) <= 0.15 * Math.Abs(analytic), $"{name}: directional derivative {numeric} by the plan, {viaLayers} by the layers' forward, {analytic} by the layers' backward");
    }

    [Fact]
    public void Compile_needs_evaluation_mode_and_run_needs_the_compiled_shape()
    {
        var model = ModelZoo.Create("lenet5", random: new RandomSource(1));
        var error = Assert.Throws<InvalidOperationException>(() => model.Compile(new Shape(1, 1, 28, 28)));
        Assert.Contains("call Eval() on the model first", error.Message, StringComparison.Ordinal);
        model.Eval();
        EvaluationPlan plan = model.Compile(new Shape(2, 1, 28, 28));
        var wrong = Assert.Throws<ArgumentException>(() => plan.Run(new Tensor(new Shape(3, 1, 28, 28))));
        Assert.Contains("compiled for input [2, 1, 28, 28] but got [3, 1, 28, 28]", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.Compile(new Shape(2, 3, 28, 28)));
    }

    [Fact]
    public void A_plan_keeps_the_weights_it_was_compiled_with()
    {
        Sequential model = EvaluationModel("fashion-cnn", 1, 28, seed: 9);
        var input = Tensor.RandomNormal(new Shape(2, 1, 28, 28), 16);
        EvaluationPlan plan = model.Compile(input.Shape);
        float[] first = (float[])plan.Run(input).Data.Clone();
        ((Conv2d)model[0]).Weight.Value.Span.Fill(0.5f);
        TensorAssert.Identical(first, plan.Run(input).Data, "after changing the model's weights");
        Assert.True(RelativeError(model.Compile(input.Shape).Run(input).Data, model.Forward(input).Data) <= Tolerance);
    }

    /// <summary>A zoo model in evaluation mode with batch-normalisation statistics and affine parameters far from the identity.</summary>
    internal static Sequential EvaluationModel(string name, int channels, int size, ulong seed)
    {
        Sequential model = ModelZoo.Create(name, inChannels: channels, imageSize: size, random: new RandomSource(seed));
        RandomiseStatistics(model, new RandomSource(seed + 100));
        model.Eval();
        return model;
    }

    private static void RandomiseStatistics(Layer model, RandomSource random)
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
        var buffers = model.NamedBuffers().Select(b => b.Name).ToHashSet();
        foreach (var (name, parameter) in model.NamedParameters())
        {
            string owner = name[..(name.LastIndexOf('.') + 1)];
            if (!buffers.Contains(owner + "running_mean"))
            {
                continue; // not a batch normalisation's
            }
            if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                parameter.Value.FillUniform(random, 0.5f, 1.5f);
            }
            else
            {
                parameter.Value.FillNormal(random, 0f, 0.3f);
            }
        }
    }

    /// <summary>The worst <c>|a − b|</c> over the largest <c>|b|</c>.</summary>
    internal static double RelativeError(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return worst / Math.Max(scale, 1e-30);
    }
}
