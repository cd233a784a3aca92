using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using static Convolve.Tests.Layers.BatchNormSetup;

namespace Convolve.Tests.Layers;

public class BatchNormRunningStatisticsTests
{
    [Theory]
    [InlineData(new[] { 4, 3 }, 0.1)]
    [InlineData(new[] { 3, 2, 5 }, 0.37)]
    [InlineData(new[] { 2, 3, 3, 2 }, 1.0)]
    [InlineData(new[] { 2, 3, 3, 2 }, 0.0)]
    public void Several_training_steps_follow_the_reference(int[] shape, double momentum)
    {
        var layer = Create(shape, momentum: momentum);
        var (expectedMean, expectedVar) = Track(layer, shape, momentum, steps: 5, seed: 100);

        TensorAssert.Close(expectedMean, layer.RunningMean!.Data, 1e-5, 1e-6, "running_mean");
        TensorAssert.Close(expectedVar, layer.RunningVar!.Data, 1e-5, 1e-6, "running_var");
        Assert.Equal([5f], layer.NumBatchesTracked!.Data);
    }

    [Theory]
    [InlineData(new[] { 8, 3 })]
    [InlineData(new[] { 3, 4, 5, 2 })]
    public void Eval_after_training_uses_the_learned_statistics_one_sample_at_a_time(int[] shape)
    {
        var layer = Create(shape, momentum: 0.5);
        Randomize(layer, 110);
        var (expectedMean, expectedVar) = Track(layer, shape, 0.5, steps: 3, seed: 120);
        layer.Eval();
        var batch = Input(shape, 130, mean: 3f, std: 2f);
        int[] oneShape = [1, .. shape[1..]];
        var first = new Tensor(new Shape(oneShape), batch.Data[..new Shape(oneShape).Size]);
        var expected = ReferenceOps.BatchNorm(first, Copy(layer.Weight), Copy(layer.Bias),
            expectedMean.Select(v => (float)v).ToArray(), expectedVar.Select(v => (float)v).ToArray(), false, false, 0.5, 1e-5);

        var outputOne = layer.Forward(first);
        var outputBatch = layer.Forward(batch);

        TensorAssert.Close(expected.Output, outputOne.Data, 1e-5, 1e-5, "eval output of one sample");
        TensorAssert.Identical(outputOne.Data, outputBatch.Data.AsSpan(0, first.Size), "the same sample inside a batch");
        Assert.Equal([3f], layer.NumBatchesTracked!.Data);
    }

    /// <summary>Runs <paramref name="steps"/> training forwards on fresh inputs; returns the reference's running statistics.</summary>
    private static (double[] Mean, double[] Var) Track(BatchNorm layer, int[] shape, double momentum, int steps, ulong seed)
    {
        float[] mean = Copy(layer.RunningMean)!, variance = Copy(layer.RunningVar)!;
        double[] expectedMean = [.. mean.Select(v => (double)v)], expectedVar = [.. variance.Select(v => (double)v)];
        for (int step = 0; step < steps; step++)
        {
            var input = Input(shape, seed + (ulong)step, mean: 3f, std: 2f);
            var reference = ReferenceOps.BatchNorm(input, null, null, mean, variance, true, true, momentum, 1e-5);
            (expectedMean, expectedVar) = (reference.RunningMean!, reference.RunningVar!);
            (mean, variance) = (expectedMean.Select(v => (float)v).ToArray(), expectedVar.Select(v => (float)v).ToArray());
            layer.Forward(input);
        }
        return (expectedMean, expectedVar);
    }
}
