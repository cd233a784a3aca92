using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Tests.Convolution;

/// <summary>
/// The rule of <see cref="ConvolutionAlgorithm.Auto"/> as a list of implementations, each saying
/// whether it applies and its expected cost, makes the choices the fixed rule made, on every SIMD
/// level, pass and many geometries (1-d to 3-d, strides, dilations, paddings, groups, sizes). The
/// fixed rule is kept here, as it was in ConvolutionAlgorithms.Choose before the list replaced it
/// (the two were compared while both were in the library, commit b8056a2).
/// </summary>
public sealed class ConvolutionChooserTests
{
    [Fact]
    public void The_list_chooses_what_the_fixed_rule_chose()
    {
        var random = new Random(20);
        int compared = 0, winograd = 0, direct = 0, depthwise = 0, mixed = 0;
        foreach (ConvolutionLayout layout in Layouts(random, 4000))
        {
            foreach (SimdLevel level in (SimdLevel[])[SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512])
            {
                var byPass = new List<ConvolutionAlgorithm>();
                foreach (ConvolutionPass pass in Enum.GetValues<ConvolutionPass>())
                {
                    ConvolutionAlgorithm expected = FixedRule(layout, level, pass);
                    Assert.True(expected == ConvolutionAlgorithms.Cheapest(layout, level, pass).Algorithm, $"{layout}, {level}, {pass}: the fixed rule chose {expected}");
                    byPass.Add(expected);
                    compared++;
                }
                winograd += byPass.Count(a => a == ConvolutionAlgorithm.Winograd);
                direct += byPass.Count(a => a == ConvolutionAlgorithm.Direct);
                depthwise += byPass.Count(a => a == ConvolutionAlgorithm.Depthwise);
                mixed += byPass.Distinct().Count() > 1 ? 1 : 0;
            }
        }
        // Every branch of the rule was reached, not only im2col.
        Assert.True(winograd > 100 && direct > 100 && depthwise > 20 && mixed > 50, $"{compared} choices: {winograd} Winograd, {direct} direct, {depthwise} depthwise, {mixed} with passes that differ");
    }

    [Fact]
    public void A_pinned_algorithm_runs_where_it_applies_and_the_rule_elsewhere()
    {
        foreach (ConvolutionLayout layout in Layouts(new Random(7), 500))
        {
            foreach (ConvolutionPass pass in Enum.GetValues<ConvolutionPass>())
            {
                ConvolutionAlgorithm rule = ConvolutionAlgorithms.Cheapest(layout, SimdLevel.Vector512, pass).Algorithm;
                Assert.Equal(rule, ConvolutionAlgorithms.Resolve(ConvolutionAlgorithm.Auto, layout, SimdLevel.Vector512, pass).Algorithm);
                Assert.Equal(ConvolutionAlgorithm.Im2Col, ConvolutionAlgorithms.Resolve(ConvolutionAlgorithm.Im2Col, layout, SimdLevel.Vector512, pass).Algorithm);
                Assert.Equal(ConvolutionAlgorithm.Direct, ConvolutionAlgorithms.Resolve(ConvolutionAlgorithm.Direct, layout, SimdLevel.Vector512, pass).Algorithm);
                Assert.Equal(WinogradPlan.Applies(layout) ? ConvolutionAlgorithm.Winograd : rule,
                    ConvolutionAlgorithms.Resolve(ConvolutionAlgorithm.Winograd, layout, SimdLevel.Vector512, pass).Algorithm);
                Assert.Equal(DepthwiseConvolution.Applies(layout) ? ConvolutionAlgorithm.Depthwise : rule,
                    ConvolutionAlgorithms.Resolve(ConvolutionAlgorithm.Depthwise, layout, SimdLevel.Vector512, pass).Algorithm);
            }
        }
    }

    [Fact]
    public void Every_algorithm_but_auto_has_one_implementation_and_a_name_that_parses()
    {
        ConvolutionAlgorithm[] listed = [.. ConvolutionAlgorithms.Implementations.Select(i => i.Algorithm)];
        Assert.Equal(Enum.GetValues<ConvolutionAlgorithm>().Where(a => a != ConvolutionAlgorithm.Auto), listed);
        Assert.Equal(["auto", "im2col", "direct", "winograd", "depthwise"], ConvolutionAlgorithms.Names);
        foreach (ConvolutionImplementation implementation in ConvolutionAlgorithms.Implementations)
        {
            Assert.Null(ConvolutionAlgorithms.TryParse(implementation.Name.ToUpperInvariant(), out ConvolutionAlgorithm parsed));
            Assert.Equal(implementation.Algorithm, parsed);
            Assert.Contains($"{implementation.Name} ({implementation.Summary})", ConvolutionAlgorithms.Help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_workspace_shown_is_that_of_the_implementation_that_runs()
    {
        var layer = new Conv2d(32, 64, 3, padding: 1);
        var input = new Shape(1, 32, 28, 28);
        ConvolutionAlgorithm runs = layer.AlgorithmFor(input);
        var layout = new ConvolutionLayout(1, 32, 64, 1, ConvGeometry.ForConvolution("Conv2d", 2, 3, 1, 1, 1).ToWindow3([28, 28], [28, 28]));
        long expected = ConvolutionAlgorithms.Find(runs).WorkspaceBytes(layout, Simd.Level);
        Assert.Equal(expected, Convolve.Diagnostics.ModelSummary.Of(layer, input).Rows[0].WorkspaceBytes);
        Assert.True(expected > 0);
    }

    /// <summary>
    /// The fixed rule as it was, with issue 19's first step: depthwise for a depthwise layer of more than one group (1-d and 2-d); then direct where the channels per group fill half a vector on both sides,
    /// Winograd instead where it applies and the output is at least 12 on both sides, and direct for the
    /// forward pass of one input channel per group when the output channels fill; else im2col.
    /// </summary>
    private static ConvolutionAlgorithm FixedRule(in ConvolutionLayout layout, SimdLevel level, ConvolutionPass pass)
    {
        if (layout.Groups > 1 && DepthwiseConvolution.Applies(layout))
        {
            return ConvolutionAlgorithm.Depthwise;
        }
        int inChannels = layout.InputChannels / layout.Groups, outChannels = layout.OutputChannels / layout.Groups;
        ConvolutionAlgorithm byChannels = ByChannels(inChannels, outChannels, level);
        if (byChannels == ConvolutionAlgorithm.Direct && WinogradPlan.Applies(layout) && layout.Window.OutH >= 12 && layout.Window.OutW >= 12)
        {
            return ConvolutionAlgorithm.Winograd;
        }
        bool grayFirstLayer = inChannels == 1 && ByChannels(outChannels, outChannels, level) == ConvolutionAlgorithm.Direct;
        return pass == ConvolutionPass.Forward && grayFirstLayer ? ConvolutionAlgorithm.Direct : byChannels;
    }

    private static ConvolutionAlgorithm ByChannels(int inChannels, int outChannels, SimdLevel level)
    {
        int lanes = level switch { SimdLevel.Vector512 => 16, SimdLevel.Vector256 => 8, SimdLevel.Vector128 => 4, _ => 1 };
        return inChannels * 2 >= lanes && outChannels * 2 >= lanes && level != SimdLevel.Scalar ? ConvolutionAlgorithm.Direct : ConvolutionAlgorithm.Im2Col;
    }

    /// <summary>Random layouts of valid convolutions: 1-d to 3-d, kernels 1–5, strides 1–3, dilations 1–2, paddings 0–3, groups 1–4, 1–70 channels per group.</summary>
    private static IEnumerable<ConvolutionLayout> Layouts(Random random, int count)
    {
        for (int produced = 0; produced < count;)
        {
            int dims = random.Next(1, 4);
            int[] kernel = [.. Enumerable.Range(0, dims).Select(_ => random.Next(4) == 0 ? 1 : random.Next(1, 6))];
            bool threeByThree = random.Next(3) == 0;
            if (threeByThree)
            {
                dims = 2;
                kernel = [3, 3];
            }
            int[] stride = [.. Enumerable.Range(0, dims).Select(_ => threeByThree && random.Next(2) == 0 ? 1 : random.Next(1, 4))];
            int[] dilation = [.. Enumerable.Range(0, dims).Select(_ => threeByThree && random.Next(2) == 0 ? 1 : random.Next(1, 3))];
            int[] padding = [.. Enumerable.Range(0, dims).Select(_ => random.Next(0, 4))];
            int[] size = [.. Enumerable.Range(0, dims).Select(_ => random.Next(1, dims == 3 ? 12 : 40))];
            int groups = random.Next(3) == 0 ? random.Next(1, 5) : 1;
            int inPerGroup = random.Next(4) == 0 ? 1 : random.Next(1, 70), outPerGroup = random.Next(1, 70);
            var geometry = ConvGeometry.ForConvolution("Conv", dims, kernel, stride, Padding.Explicit(padding), dilation);
            int[] output = new int[dims];
            bool valid = true;
            for (int d = 0; d < dims; d++)
            {
                output[d] = (size[d] + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1) / stride[d] + 1;
                valid &= size[d] + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1 >= 0;
            }
            if (!valid)
            {
                continue;
            }
            produced++;
            yield return new ConvolutionLayout(random.Next(1, 9), inPerGroup * groups, outPerGroup * groups, groups, geometry.ToWindow3(size, output));
        }
    }
}
