using Convolve.Data;
using Convolve.Distributed;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using Convolve.Tests.Training;
using Convolve.Training;

namespace Convolve.Tests.Distributed;

/// <summary>One step and one evaluation through <see cref="DataParallel"/>, against values derived independently.</summary>
[Collection(Dense.GlobalRandomSerial.Name)] // DataParallel with several shards moves RandomSource.Global
public class DataParallelStepTests
{
    [Fact]
    public void RunningStatisticsEndAsTheMeanOfTheShardsUpdates()
    {
        var data = TrainingSetup.Blobs(10, 9);
        var norm = new BatchNorm2d(1, momentum: 0.3);
        var model = new Sequential(norm, new Flatten(), new Linear(16, 3, random: new RandomSource(4)));
        float[] mean0 = [0.25f], var0 = [1.5f];
        norm.RunningMean!.Data[0] = mean0[0];
        norm.RunningVar!.Data[0] = var0[0];
        new DataParallel(new LocalCommunicator(), model, 2).ComputeGradient(model, new CrossEntropyLoss(), data.Images, data.Labels);

        // Each shard of 5 images updates the statistics from the same starting values; the step keeps their mean.
        double expectedMean = 0, expectedVar = 0;
        for (int shard = 0; shard < 2; shard++)
        {
            var images = new Tensor(new Shape(5, 1, 4, 4), data.Images.Data.AsSpan(shard * 80, 80).ToArray());
            var reference = ReferenceOps.BatchNorm(images, null, null, mean0, var0, batchStatistics: true, updateRunning: true, momentum: 0.3, eps: 1e-5);
            expectedMean += reference.RunningMean![0] / 2;
            expectedVar += reference.RunningVar![0] / 2;
        }
        Assert.Equal(expectedMean, norm.RunningMean.Data[0], 1e-6);
        Assert.Equal(expectedVar, norm.RunningVar.Data[0], 1e-6);
        Assert.Equal(1f, norm.NumBatchesTracked!.Data[0]);
    }

    [Fact]
    public void TheBatchLossAndCountAreThoseOfTheWholeBatch()
    {
        var data = TrainingSetup.Blobs(12, 2);
        var model = TrainingSetup.TinyCnn(3);
        var loss = new CrossEntropyLoss();
        Tensor logits = model.Forward(data.Images);
        double whole = loss.Forward(logits, data.Labels);
        int correct = Scores.CountCorrect(logits, data.Labels);
        var (sharded, shardedCorrect) = new DataParallel(new LocalCommunicator(), model, 4).ComputeGradient(model, loss, data.Images, data.Labels);
        Assert.Equal(whole, sharded, 1e-6);
        Assert.Equal(correct, shardedCorrect);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SplitEvaluationEqualsTheOneProcessEvaluationExactly(int ranks)
    {
        // 50 images in batches of 8: 7 batches, shared 2/2/3 or 3/4 by the ranks.
        Dataset data = TrainingSetup.Blobs(50, 6);
        EvaluationResult expected = Evaluator.Evaluate(TrainingSetup.TinyCnn(8), data, 8);
        var results = ThreadGroup.Run(ranks, c =>
        {
            var model = TrainingSetup.TinyCnn(8);
            return new DataParallel(c, model, ranks).Evaluate(model, data, 8);
        });
        foreach (EvaluationResult result in results)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Loss), BitConverter.DoubleToInt64Bits(result.Loss));
            Assert.Equal(expected.ConfusionMatrix, result.ConfusionMatrix);
        }
    }
}
