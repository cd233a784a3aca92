using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>
/// The depthwise algorithm against the float64 twins at every SIMD level this processor runs (the level
/// is set on the algorithm, so one process covers them all): kernels 1, 3 and 5, strides 1 and 2, paddings
/// 0–2, dilations 1 and 2, channel multipliers 1 and 2, widths that are not a multiple of any vector,
/// batches 1 and 3, all three passes, with bias and ReLU; through the layers (pinned and chosen by Auto,
/// transposed, 1-d); and bit-identical results on one, two and three threads.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // one test sets the process-wide Parallelism.MaxThreads
public class DepthwiseTests
{
    private const double Rtol = 1e-4, Atol = 2e-4;

    public static TheoryData<int, int, int, int, int, int, int, int, int> Geometries()
    {
        // batch, channels, multiplier, kernel, stride, padding, dilation, height, width
        var data = new TheoryData<int, int, int, int, int, int, int, int, int>
        {
            { 1, 3, 1, 3, 1, 1, 1, 7, 9 },
            { 3, 5, 1, 3, 2, 1, 1, 9, 19 },
            { 1, 2, 2, 5, 1, 2, 1, 6, 23 },
            { 3, 4, 2, 3, 1, 0, 2, 8, 11 },
            { 1, 6, 1, 1, 1, 0, 1, 5, 17 },
            { 3, 2, 2, 1, 2, 0, 1, 7, 6 },
            { 1, 4, 1, 5, 2, 2, 2, 12, 13 },
            { 3, 3, 1, 3, 2, 0, 1, 4, 5 },
            { 1, 7, 2, 3, 1, 2, 2, 3, 3 },
            { 3, 2, 1, 5, 1, 0, 1, 5, 37 },
            { 1, 1, 1, 3, 1, 1, 1, 1, 1 },
        };
        return data;
    }

    public static TheoryData<SimdLevel> Levels()
    {
        var data = new TheoryData<SimdLevel>();
        foreach (SimdLevel level in Enum.GetValues<SimdLevel>().Where(l => l <= Simd.HardwareLevel))
        {
            data.Add(level);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Every_pass_matches_the_reference_at_every_simd_level(int batch, int channels, int multiplier, int kernel, int stride, int padding, int dilation, int height, int width)
    {
        var layer = new Conv2d(channels, channels * multiplier, kernel, stride: stride, padding: padding, dilation: dilation, groups: channels, random: new RandomSource(31));
        var input = Tensor.RandomNormal(new Shape(batch, channels, height, width), 32);
        Shape outputShape = layer.OutputShape(input.Shape);
        var layout = new ConvolutionLayout(batch, channels, channels * multiplier, channels, layer.Geometry.ToWindow3(input.Shape.Dimensions[2..], outputShape.Dimensions[2..]));
        Tensor gradOutput = Tensor.RandomNormal(outputShape, 33);
        double[] forward = ReferenceOps.ConvForward(input, layer.Weight.Value, layer.Bias!.Value, layer.Geometry, channels);
        double[] gradInput = ReferenceOps.ConvInputGrad(gradOutput, layer.Weight.Value, layer.Geometry, channels, input.Shape);
        double[] gradWeight = ReferenceOps.ConvWeightGrad(input, gradOutput, layer.Geometry, channels);
        double[] rectified = [.. forward.Select(v => Math.Max(v, 0))];
        foreach (SimdLevel level in Enum.GetValues<SimdLevel>().Where(l => l <= Simd.HardwareLevel))
        {
            string context = $"depthwise {layout} at {level}";
            var algorithm = new DepthwiseConvolution { Level = level };
            var output = new float[outputShape.Size];
            algorithm.Forward(input.Data, layer.Weight.Value.Data, output, layout, layer.Bias.Value.Data);
            TensorAssert.Close(forward, output, Rtol, Atol, $"{context} forward");
            algorithm.Forward(input.Data, layer.Weight.Value.Data, output, layout, layer.Bias.Value.Data, relu: true);
            TensorAssert.Close(rectified, output, Rtol, Atol, $"{context} forward with ReLU");
            var gx = new float[input.Shape.Size];
            Array.Fill(gx, float.NaN); // every element is written
            algorithm.BackwardData(gradOutput.Data, layer.Weight.Value.Data, gx, layout);
            TensorAssert.Close(gradInput, gx, Rtol, Atol, $"{context} gradInput");
            var gw = new float[layer.Weight.Value.Size];
            Array.Fill(gw, 0.5f); // accumulated into
            algorithm.BackwardWeight(input.Data, gradOutput.Data, gw, layout);
            TensorAssert.Close([.. gradWeight.Select(v => v + 0.5)], gw, Rtol, Atol, $"{context} gradWeight");
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void The_input_gradient_adds_a_transposed_convolutions_bias(SimdLevel level)
    {
        var layer = new ConvTranspose2d(4, 4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 4, random: new RandomSource(41));
        var input = Tensor.RandomNormal(new Shape(2, 4, 5, 6), 42);
        Shape outputShape = layer.OutputShape(input.Shape);
        var layout = new ConvolutionLayout(2, 4, 4, 4, layer.Geometry.ToWindow3(outputShape.Dimensions[2..], input.Shape.Dimensions[2..]));
        var output = new float[outputShape.Size];
        new DepthwiseConvolution { Level = level }.BackwardData(input.Data, layer.Weight.Value.Data, output, layout, layer.Bias!.Value.Data);
        TensorAssert.Close(ReferenceOps.ConvTransposeForward(input, layer.Weight.Value, layer.Bias.Value, layer.Geometry, 4), output, Rtol, Atol, $"ConvTranspose2d(4,4,3,s=2,groups=4) at {level}");
    }

    [Fact]
    public void Auto_chooses_it_for_depthwise_layers_and_a_pinned_choice_falls_back_elsewhere()
    {
        var depthwise = new Conv2d(32, 32, 3, padding: 1, groups: 32);
        var shape = new Shape(1, 32, 14, 14);
        foreach (ConvolutionPass pass in Enum.GetValues<ConvolutionPass>())
        {
            Assert.Equal(ConvolutionAlgorithm.Depthwise, depthwise.AlgorithmFor(shape, pass));
        }
        Assert.Equal(ConvolutionAlgorithm.Depthwise, new Conv1d(8, 16, 5, groups: 8).AlgorithmFor(new Shape(2, 8, 20)));
        var grouped = new Conv2d(32, 32, 3, padding: 1, groups: 16) { Algorithm = ConvolutionAlgorithm.Depthwise };
        Assert.NotEqual(ConvolutionAlgorithm.Depthwise, grouped.AlgorithmFor(shape));
        var volume = new Conv3d(4, 4, 3, groups: 4) { Algorithm = ConvolutionAlgorithm.Depthwise };
        Assert.NotEqual(ConvolutionAlgorithm.Depthwise, volume.AlgorithmFor(new Shape(1, 4, 5, 5, 5)));
    }

    [Theory]
    [InlineData("Conv2d stride 2")]
    [InlineData("Conv2d multiplier 2 dilation 2")]
    [InlineData("Conv1d")]
    [InlineData("ConvTranspose2d stride 2")]
    public void Gradients_match_central_differences(string variant)
    {
        var r = new RandomSource(51);
        (ConvolutionBase layer, Shape shape) = variant switch
        {
            "Conv2d stride 2" => ((ConvolutionBase)new Conv2d(3, 3, 3, stride: 2, padding: 1, groups: 3, random: r), new Shape(2, 3, 7, 6)),
            "Conv2d multiplier 2 dilation 2" => (new Conv2d(2, 4, 3, padding: 2, dilation: 2, groups: 2, random: r), new Shape(1, 2, 5, 7)),
            "Conv1d" => (new Conv1d(3, 6, 5, stride: 2, padding: 1, groups: 3, random: r), new Shape(2, 3, 11)),
            _ => (new ConvTranspose2d(3, 3, 3, stride: 2, padding: 1, outputPadding: 1, groups: 3, random: r), new Shape(1, 3, 3, 4)),
        };
        layer.Algorithm = ConvolutionAlgorithm.Depthwise;
        Assert.Equal(ConvolutionAlgorithm.Depthwise, layer.AlgorithmFor(shape));
        GradientAssert.Layer(layer, Tensor.RandomNormal(shape, 52));
    }

    [Fact]
    public void Every_pass_is_bit_identical_on_one_two_and_three_threads()
    {
        var layer = new Conv2d(24, 48, 3, stride: 2, padding: 1, groups: 24, random: new RandomSource(61));
        var input = Tensor.RandomNormal(new Shape(6, 24, 56, 57), 62);
        Tensor gradOutput = Tensor.RandomNormal(layer.OutputShape(input.Shape), 63);
        int saved = Parallelism.MaxThreads;
        try
        {
            var runs = new List<float[][]>();
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxThreads = threads;
                layer.Weight.Grad.Span.Clear();
                float[] output = layer.Forward(input).Data.ToArray();
                float[] gradInput = layer.Backward(gradOutput).Data.ToArray();
                runs.Add([output, gradInput, layer.Weight.Grad.Data.ToArray()]);
            }
            Assert.Equal(ConvolutionAlgorithm.Depthwise, layer.AlgorithmFor(input.Shape, ConvolutionPass.WeightGradient));
            for (int run = 1; run < runs.Count; run++)
            {
                for (int i = 0; i < 3; i++)
                {
                    TensorAssert.Identical(runs[0][i], runs[run][i], $"pass {i}, {run + 1} threads against 1");
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
