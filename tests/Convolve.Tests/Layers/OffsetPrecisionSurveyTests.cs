using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Layers;

/// <summary>
/// Issue 17, part 3: every other reduction a training step or the data pipeline makes, measured
/// against float64 on offset data (values 30 + 0.01·N(0, 1), the case that broke BatchNorm's float
/// lanes). Each test prints the error it measured (visible with a detailed console logger) and bounds
/// it: where the result is later compared with the data it summarises (a mean that a following
/// layer subtracts), the error is judged against the spread, not the offset.
/// </summary>
public class OffsetPrecisionSurveyTests(ITestOutputHelper output)
{
    private const float Offset = 30f, Spread = 0.01f;

    [Fact]
    public void Convolution_bias_gradient_sums_agree_with_float64()
    {
        var conv = new Conv2d(3, 4, 3, padding: 1);
        var input = Tensor.RandomNormal(new Shape(3, 3, 12, 12), 1, 0f, 1f);
        conv.Forward(input);
        var gradOutput = Tensor.RandomNormal(new Shape(3, 4, 12, 12), 2, Offset, Spread);
        conv.Backward(gradOutput);
        int s = 12 * 12;
        double worst = 0;
        for (int c = 0; c < 4; c++)
        {
            double expected = 0;
            for (int n = 0; n < 3; n++)
            {
                for (int k = 0; k < s; k++)
                {
                    expected += gradOutput.Data[((n * 4) + c) * s + k];
                }
            }
            worst = Math.Max(worst, Math.Abs(conv.Bias!.Grad.Data[c] - expected) / Math.Abs(expected));
        }
        output.WriteLine($"conv bias gradient, offset {Offset}, spread {Spread}: worst relative error {worst:E2}");
        Assert.True(worst <= 1e-7, $"bias gradient relative error {worst:E2}");
    }

    [Fact]
    public void Linear_bias_gradient_sums_agree_with_float64()
    {
        var linear = new Linear(5, 8);
        linear.Forward(Tensor.RandomNormal(new Shape(256, 5), 8, 0f, 1f));
        var gradOutput = Tensor.RandomNormal(new Shape(256, 8), 9, Offset, Spread);
        linear.Backward(gradOutput);
        double worst = 0;
        for (int j = 0; j < 8; j++)
        {
            double expected = 0;
            for (int r = 0; r < 256; r++)
            {
                expected += gradOutput.Data[(r * 8) + j];
            }
            worst = Math.Max(worst, Math.Abs(linear.Bias!.Grad.Data[j] - expected) / Math.Abs(expected));
        }
        output.WriteLine($"linear bias gradient over 256 rows, offset {Offset}, spread {Spread}: worst relative error {worst:E2}");
        Assert.True(worst <= 1e-7, $"linear bias gradient relative error {worst:E2}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Adaptive_average_pooling_keeps_the_mean_to_the_spread(int outputSize)
    {
        var pool = new AdaptiveAvgPool2d(outputSize);
        var input = Tensor.RandomNormal(new Shape(2, 3, 28, 28), 3, Offset, Spread);
        var result = pool.Forward(input);
        double worst = 0;
        for (int plane = 0; plane < 6; plane++)
        {
            for (int oh = 0; oh < outputSize; oh++)
            {
                for (int ow = 0; ow < outputSize; ow++)
                {
                    int h0 = oh * 28 / outputSize, h1 = ((oh + 1) * 28 + outputSize - 1) / outputSize;
                    int w0 = ow * 28 / outputSize, w1 = ((ow + 1) * 28 + outputSize - 1) / outputSize;
                    double sum = 0;
                    for (int y = h0; y < h1; y++)
                    {
                        for (int x = w0; x < w1; x++)
                        {
                            sum += input.Data[(plane * 784) + (y * 28) + x];
                        }
                    }
                    double mean = sum / ((h1 - h0) * (w1 - w0));
                    worst = Math.Max(worst, Math.Abs(result.Data[(plane * outputSize * outputSize) + (oh * outputSize) + ow] - mean) / Spread);
                }
            }
        }
        output.WriteLine($"adaptive average pool to {outputSize}x{outputSize} over 28x28, offset {Offset}: worst error {worst:E2} of the spread {Spread}");
        // A float result near 30 is itself rounded to 1.9e-6 / 2, i.e. 1e-4 of the spread: allow twice that.
        Assert.True(worst <= 2e-4, $"adaptive average pool error {worst:E2} of the spread");
    }

    [Fact]
    public void Average_pooling_keeps_the_mean_to_the_spread()
    {
        var pool = new AvgPool2d(5, stride: 1);
        var input = Tensor.RandomNormal(new Shape(2, 2, 9, 9), 4, Offset, Spread);
        var result = pool.Forward(input);
        double worst = 0;
        for (int plane = 0; plane < 4; plane++)
        {
            for (int oh = 0; oh < 5; oh++)
            {
                for (int ow = 0; ow < 5; ow++)
                {
                    double sum = 0;
                    for (int y = oh; y < oh + 5; y++)
                    {
                        for (int x = ow; x < ow + 5; x++)
                        {
                            sum += input.Data[(plane * 81) + (y * 9) + x];
                        }
                    }
                    worst = Math.Max(worst, Math.Abs(result.Data[(plane * 25) + (oh * 5) + ow] - (sum / 25)) / Spread);
                }
            }
        }
        output.WriteLine($"average pool 5x5, offset {Offset}: worst error {worst:E2} of the spread {Spread}");
        Assert.True(worst <= 2e-4, $"average pool error {worst:E2} of the spread");
    }

    [Fact]
    public void Cross_entropy_on_offset_logits_agrees_with_float64()
    {
        var logits = Tensor.RandomNormal(new Shape(16, 10), 5, Offset, Spread);
        int[] targets = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
        double loss = new CrossEntropyLoss().Forward(logits, targets);
        double expected = 0;
        for (int i = 0; i < 16; i++)
        {
            var row = logits.Data.AsSpan(i * 10, 10).ToArray().Select(v => (double)v).ToArray();
            double max = row.Max();
            double logSumExp = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            expected += logSumExp - row[targets[i]];
        }
        expected /= 16;
        double relative = Math.Abs(loss - expected) / expected;
        output.WriteLine($"cross-entropy on logits {Offset} + {Spread}·N(0,1): loss {loss:G10}, relative error {relative:E2}");
        Assert.True(relative <= 1e-12, $"cross-entropy relative error {relative:E2}");
    }

    [Fact]
    public void Data_normalisation_mean_and_std_agree_with_float64()
    {
        var images = Tensor.RandomNormal(new Shape(200, 1, 32, 32), 6, Offset, Spread);
        var data = new Dataset(images, new int[200], 10);
        var (mean, std) = data.ComputeMeanStd();
        double sum = images.Data.Sum(v => (double)v), expectedMean = sum / images.Size;
        double expectedStd = Math.Sqrt(images.Data.Sum(v => ((double)v - expectedMean) * ((double)v - expectedMean)) / images.Size);
        double meanError = Math.Abs(mean - expectedMean) / expectedStd, stdError = Math.Abs(std - expectedStd) / expectedStd;
        output.WriteLine($"data mean/std of {images.Size} values {Offset} + {Spread}·N(0,1): mean error {meanError:E2} of the std, std relative error {stdError:E2}");
        Assert.True(meanError <= 1e-9 && stdError <= 1e-9, $"mean error {meanError:E2}, std error {stdError:E2}");
    }

    [Fact]
    public void Gradient_clipping_norm_agrees_with_float64()
    {
        var parameter = new Parameter("w", new Shape(100_000));
        Tensor.RandomNormal(new Shape(100_000), 7, Offset, Spread).Data.CopyTo(parameter.Grad.Data, 0);
        double norm = GradientClipping.ClipGradNorm([parameter], double.MaxValue);
        double expected = Math.Sqrt(parameter.Grad.Data.Sum(v => (double)v * v));
        double relative = Math.Abs(norm - expected) / expected;
        output.WriteLine($"gradient norm of 1e5 values {Offset} + {Spread}·N(0,1): relative error {relative:E2}");
        Assert.True(relative <= 1e-12, $"gradient norm relative error {relative:E2}");
    }
}
