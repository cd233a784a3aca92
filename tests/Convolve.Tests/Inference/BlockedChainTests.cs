using Convolve.Inference;
using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Inference;

/// <summary>
/// Plans that keep the channel-blocked layout between layers (<see cref="BlockedChainStep"/>) against the same
/// plans with every convolution packing and unpacking its own image (<see cref="BlockedChains.Enabled"/> off, the
/// reference twin): the same microkernel calls on the same sums, so the floats must be identical, at the SIMD
/// level of the run (CI repeats these tests at every lower level), for any batch and thread count.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // sets the process-wide ConvolutionAlgorithms.Default, Parallelism.MaxThreads and BlockedChains.Enabled
public class BlockedChainTests
{
    public static TheoryData<string, int, int, ConvolutionAlgorithm> ZooCases() =>
        EvaluationPlanTests.Cases([ConvolutionAlgorithm.Auto, ConvolutionAlgorithm.Direct, ConvolutionAlgorithm.Winograd], ModelZoo.SmallNames);

    [Theory]
    [MemberData(nameof(ZooCases))]
    public void Blocked_chains_give_the_same_floats_as_layer_by_layer_steps(string name, int channels, int size, ConvolutionAlgorithm algorithm)
    {
        ConvolutionAlgorithm saved = ConvolutionAlgorithms.Default;
        try
        {
            ConvolutionAlgorithms.Default = algorithm;
            Sequential model = EvaluationPlanTests.EvaluationModel(name, channels, size, seed: 21);
            foreach (int batch in new[] { 1, 3 })
            {
                var input = Tensor.RandomNormal(new Shape(batch, channels, size, size), (ulong)(40 + batch));
                var (chained, unchained) = BothWays(model, input);
                TensorAssert.Identical(unchained, chained, $"{name} {channels}×{size}×{size} batch {batch} {algorithm}");
            }
        }
        finally
        {
            ConvolutionAlgorithms.Default = saved;
        }
    }

    [Fact]
    public void Convolutions_and_poolings_are_merged_where_the_layout_can_stay_blocked()
    {
        ConvolutionAlgorithm saved = ConvolutionAlgorithms.Default;
        try
        {
            ConvolutionAlgorithms.Default = ConvolutionAlgorithm.Direct;
            IReadOnlyList<string> steps = EvaluationPlanTests.EvaluationModel("fashion-cnn", 1, 28, seed: 2).Compile(new Shape(2, 1, 28, 28)).Steps;
            // fashion-cnn: conv → ReLU → pool → conv → ReLU → pool → flatten → linear → ReLU → linear.
            Assert.Equal(["Conv2d + ReLU (Direct, blocked)", "MaxPool2d (blocked)", "Conv2d + ReLU (Direct, blocked)", "MaxPool2d (blocked)"], steps.Take(4));
            Assert.DoesNotContain(steps.Skip(4), step => step.Contains("blocked", StringComparison.Ordinal));
            // A residual body that ends in a convolution keeps the shortcut's sum in its output pass.
            IReadOnlyList<string> resnet = EvaluationPlanTests.EvaluationModel("resnet-small", 1, 28, seed: 2).Compile(new Shape(2, 1, 28, 28)).Steps;
            Assert.Contains(resnet, step => step.Contains("(Direct, blocked) → ", StringComparison.Ordinal) && step.Contains("added in the last convolution", StringComparison.Ordinal));
            BlockedChains.Enabled = false;
            Assert.DoesNotContain(EvaluationPlanTests.EvaluationModel("fashion-cnn", 1, 28, seed: 2).Compile(new Shape(2, 1, 28, 28)).Steps, step => step.Contains("blocked", StringComparison.Ordinal));

            // Unpinned, lenet5's few-channel convolutions go to im2col by the rule, but direct in a plan, where they chain.
            ConvolutionAlgorithms.Default = ConvolutionAlgorithm.Auto;
            BlockedChains.Enabled = true;
            Sequential lenet = EvaluationPlanTests.EvaluationModel("lenet5", 1, 28, seed: 2);
            // (At AVX-512 the rule gives the first layer to im2col; at narrower levels it may pick direct itself.)
            bool ruleSaysIm2Col = ((Conv2d)lenet[0]).AlgorithmFor(new Shape(2, 1, 28, 28)) == ConvolutionAlgorithm.Im2Col;
            Assert.True(ruleSaysIm2Col || Simd.Level != SimdLevel.Vector512, "at AVX-512 lenet5's first layer goes to im2col by the rule");
            Assert.Equal(["Conv2d + ReLU (Direct, blocked)", "MaxPool2d (blocked)", "Conv2d + ReLU (Direct, blocked)", "MaxPool2d (blocked)"], lenet.Compile(new Shape(2, 1, 28, 28)).Steps.Take(4));
            BlockedChains.PrefersBlockedAlgorithms = false;
            if (ruleSaysIm2Col)
            {
                Assert.Equal("Conv2d + ReLU (Im2Col)", lenet.Compile(new Shape(2, 1, 28, 28)).Steps[0]);
            }
            // A pinned algorithm is kept.
            BlockedChains.PrefersBlockedAlgorithms = true;
            ((Conv2d)lenet[0]).Algorithm = ConvolutionAlgorithm.Im2Col;
            Assert.Equal("Conv2d + ReLU (Im2Col)", lenet.Compile(new Shape(2, 1, 28, 28)).Steps[0]);
        }
        finally
        {
            ConvolutionAlgorithms.Default = saved;
            BlockedChains.Enabled = true;
            BlockedChains.PrefersBlockedAlgorithms = true;
        }
    }

    public static TheoryData<int, int, int, int, int, int, bool> Geometries() => new()
    {
        // conv2 kernel, stride, padding, dilation; pool kernel, pool stride, pool padding + ceil mode
        { 3, 1, 1, 1, 2, 2, false },
        { 5, 2, 2, 1, 3, 2, true },
        { 3, 2, 0, 2, 3, 1, false },
        { 1, 2, 0, 1, 2, 1, true },
        { 3, 1, 2, 2, 3, 3, true },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Strided_padded_dilated_convolutions_and_odd_poolings_chain_exactly(int kernel, int stride, int padding, int dilation, int poolKernel, int poolStride, bool ceil)
    {
        var random = new RandomSource((ulong)(kernel * 100 + stride * 10 + padding));
        // 20 and 37 channels: neither fills its last channel block at any SIMD level.
        var model = new Sequential(
            new Conv2d(3, 20, 3, padding: 1, random: random) { Algorithm = ConvolutionAlgorithm.Direct },
            new MaxPool2d(poolKernel, poolStride, padding: poolKernel / 2, ceilMode: ceil), new ReLU(),
            new Conv2d(20, 37, kernel, stride: stride, padding: padding, dilation: dilation, random: random) { Algorithm = ConvolutionAlgorithm.Direct },
            new BatchNorm2d(37), new ReLU(),
            new Conv2d(37, 20, 3, padding: 1, random: random) { Algorithm = ConvolutionAlgorithm.Winograd },
            new Residual(new Sequential(new Conv2d(20, 20, 3, padding: 1, random: random) { Algorithm = ConvolutionAlgorithm.Direct }, new ReLU(),
                new Conv2d(20, 20, 3, padding: 1, bias: false, random: random) { Algorithm = ConvolutionAlgorithm.Winograd })),
            new ReLU(), new Flatten());
        model.Eval();
        foreach (int batch in new[] { 1, 4 })
        {
            var input = Tensor.RandomNormal(new Shape(batch, 3, 19, 23), (ulong)(7 + batch));
            var (chained, unchained) = BothWays(model, input);
            TensorAssert.Identical(unchained, chained, $"geometry k{kernel} s{stride} p{padding} d{dilation} pool {poolKernel}/{poolStride} ceil {ceil}, batch {batch}");
            double error = EvaluationPlanTests.RelativeError(chained, model.Forward(input).Data);
            Assert.True(error <= 1e-5, $"against the layers: {error:E2}");
            Assert.Contains(model.Compile(input.Shape).Steps, step => step.Contains("blocked", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // every image shared by the threads, as the 224×224 models' are
    public void Chains_are_bit_identical_for_any_thread_count(bool shareEveryImage)
    {
        int saved = Parallelism.MaxThreads;
        long savedWork = BlockedChainStep.MinSharedImageWork;
        try
        {
            BlockedChainStep.MinSharedImageWork = shareEveryImage ? 0 : savedWork;
            foreach (string name in new[] { "fashion-cnn", "vgg-small", "resnet-small" })
            {
                Sequential model = EvaluationPlanTests.EvaluationModel(name, 1, 28, seed: 23);
                foreach (int batch in new[] { 1, 2, 5 })
                {
                    var input = Tensor.RandomNormal(new Shape(batch, 1, 28, 28), 50);
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
        }
        finally
        {
            Parallelism.MaxThreads = saved;
            BlockedChainStep.MinSharedImageWork = savedWork;
        }
    }

    /// <summary>The plan's output with blocked chains and without them (fresh plans, two runs each to show the buffers are reused cleanly).</summary>
    private static (float[] Chained, float[] Unchained) BothWays(Layer model, Tensor input)
    {
        try
        {
            BlockedChains.Enabled = true;
            EvaluationPlan chained = model.Compile(input.Shape);
            chained.Run(Tensor.RandomNormal(input.Shape, 99));
            float[] withChains = (float[])chained.Run(input).Data.Clone();
            BlockedChains.Enabled = false;
            float[] without = (float[])model.Compile(input.Shape).Run(input).Data.Clone();
            return (withChains, without);
        }
        finally
        {
            BlockedChains.Enabled = true;
        }
    }
}

/// <summary>
/// Graphs in a plan (<see cref="GraphStep"/>): runs of single-input nodes compiled like a sequential chain (BatchNorm
/// folded, ReLU fused, convolutions kept blocked), merges run by their layers; against the graph's own forward pass.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public class GraphPlanTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_graph_with_branches_concat_and_squeeze_excitation_agrees_with_its_layers(int batch)
    {
        var random = new RandomSource(31);
        var graph = new Graph(
        [
            new GraphNode("stem", new Conv2d(3, 24, 3, padding: 1, bias: false, random: random), ["input"]),
            new GraphNode("stem_bn", new BatchNorm2d(24), ["stem"]),
            new GraphNode("stem_relu", new ReLU(), ["stem_bn"]),
            new GraphNode("left", new Conv2d(24, 16, 1, random: random), ["stem_relu"]),
            new GraphNode("left_relu", new ReLU(), ["left"]),
            new GraphNode("right", new Conv2d(24, 16, 3, padding: 1, random: random), ["stem_relu"]),
            new GraphNode("right_pool", new MaxPool2d(3, 1, padding: 1), ["right"]),
            new GraphNode("cat", new Concat(), ["left_relu", "right_pool"]),
            new GraphNode("gate_pool", new AdaptiveAvgPool2d(1), ["cat"]),
            new GraphNode("gate_conv", new Conv2d(32, 32, 1, random: random), ["gate_pool"]),
            new GraphNode("gate", new Sigmoid(), ["gate_conv"]),
            new GraphNode("scaled", new Mul(), ["cat", "gate"]),
            new GraphNode("sum", new Add(), ["scaled", "cat"]),
        ], "sum");
        var model = new Sequential(graph, new ReLU(), new Flatten());
        foreach (var (_, buffer) in model.NamedBuffers().Where(b => b.Name.EndsWith("running_var", StringComparison.Ordinal)))
        {
            buffer.FillUniform(new RandomSource(5), 0.3f, 2.5f);
        }
        model.Eval();
        var input = Tensor.RandomNormal(new Shape(batch, 3, 9, 11), 17);
        float[] expected = (float[])model.Forward(input).Data.Clone();
        EvaluationPlan plan = model.Compile(input.Shape);
        float[] actual = (float[])plan.Run(input).Data.Clone();
        double error = EvaluationPlanTests.RelativeError(actual, expected);
        Assert.True(error <= 1e-5, $"graph plan against the layers, batch {batch}: {error:E2}");
        TensorAssert.Identical(actual, plan.Run(input).Data, "second run");
        IReadOnlyList<string> steps = plan.Steps;
        Assert.Contains(steps, step => step.StartsWith("stem…stem_relu: Conv2d + BatchNorm2d + ReLU", StringComparison.Ordinal));
        Assert.True(steps.Contains("right…right_pool: Conv2d (Direct, blocked)") && steps.Contains("right…right_pool: MaxPool2d (blocked)"), string.Join(" | ", steps));
        Assert.Contains("cat: Concat", steps);
        Assert.Contains("sum: Add", steps);
    }
}

/// <summary>Large batches of residual and graph models run slice by slice (<see cref="SlicedStep"/>): against the layers and across thread counts.</summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public class SlicedPlanTests
{
    [Theory]
    [InlineData("resnet-small", 19)] // slices of 8, 8 and 3: the last one's Linear takes the dot-product path
    [InlineData("resnet-small", 16)]
    [InlineData("squeezenet", 11)]
    public void Slices_agree_with_the_layers_and_are_bit_identical_for_any_thread_count(string name, int batch)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Sequential model = EvaluationPlanTests.EvaluationModel(name, 1, 28, seed: 41);
            var input = Tensor.RandomNormal(new Shape(batch, 1, 28, 28), 42);
            float[] expected = (float[])model.Forward(input).Data.Clone();
            var runs = new List<float[]>();
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxThreads = threads;
                EvaluationPlan plan = model.Compile(input.Shape);
                Assert.Equal(EvaluationPlan.SliceImages, ((SlicedStep)plan.StepsForTests[0]).SliceImages);
                runs.Add((float[])plan.Run(input).Data.Clone());
                TensorAssert.Identical(runs[^1], plan.Run(input).Data, $"{name}: second run on {threads} threads");
            }
            double error = EvaluationPlanTests.RelativeError(runs[0], expected);
            Assert.True(error <= 1e-5, $"{name} batch {batch} in slices against the layers: {error:E2}");
            TensorAssert.Identical(runs[0], runs[1], $"{name} batch {batch}: 2 threads against 1");
            TensorAssert.Identical(runs[0], runs[2], $"{name} batch {batch}: 3 threads against 1");
            Assert.Equal(model.Compile(new Shape(8, 1, 28, 28)).Steps, model.Compile(input.Shape).Steps);
            Assert.NotEmpty(model.Compile(input.Shape).Profile(input, 3));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Chains_without_residual_blocks_or_graphs_run_the_whole_batch()
    {
        Sequential model = EvaluationPlanTests.EvaluationModel("fashion-cnn", 1, 28, seed: 43);
        EvaluationPlan plan = model.Compile(new Shape(32, 1, 28, 28));
        Assert.DoesNotContain(plan.StepsForTests, step => step is SlicedStep);
    }
}
