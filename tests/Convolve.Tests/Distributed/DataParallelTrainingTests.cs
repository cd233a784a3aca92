using Convolve.Data;
using Convolve.Distributed;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Tests.Training;
using Convolve.Training;

namespace Convolve.Tests.Distributed;

/// <summary>
/// Whole training runs through <see cref="DataParallel"/> on ranks that are threads: the weights,
/// BatchNorm statistics and scores do not depend on the number of ranks, and one shard is the
/// plain trainer.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // DataParallel with several shards moves RandomSource.Global
public class DataParallelTrainingTests
{
    // 40 images in batches of 12: three full batches and a last one of 4, whose shards hold one image each.
    private static readonly Dataset Data = TrainingSetup.Blobs(40, 3);

    [Fact]
    public void OneTwoAndFourRanksEndBitIdentical()
    {
        var one = ThreadGroup.Run(1, c => Train(c, shards: 4));
        foreach (int ranks in (int[])[2, 4])
        {
            var runs = ThreadGroup.Run(ranks, c => Train(c, shards: 4));
            for (int rank = 0; rank < ranks; rank++)
            {
                TrainingSetup.AssertIdentical(one[0].State, runs[rank].Model, $"{ranks} ranks, rank {rank}");
                Assert.Equal(one[0].Losses, runs[rank].Losses);
            }
        }
    }

    [Fact]
    public void ThreeShardsOnTwoRanksMatchOneRank()
    {
        var one = ThreadGroup.Run(1, c => Train(c, shards: 3));
        var two = ThreadGroup.Run(2, c => Train(c, shards: 3));
        TrainingSetup.AssertIdentical(one[0].State, two[0].Model, "3 shards on 2 ranks, rank 0");
        TrainingSetup.AssertIdentical(one[0].State, two[1].Model, "3 shards on 2 ranks, rank 1");
    }

    [Fact]
    public void OneShardIsThePlainTrainer()
    {
        var plain = Train(null, shards: 1);
        var sharded = Train(new LocalCommunicator(), shards: 1);
        TrainingSetup.AssertIdentical(plain.State, sharded.Model, "one shard");
        Assert.Equal(plain.Losses, sharded.Losses);
    }

    [Fact]
    public void ShardsDifferFromTheWholeBatchOnlyThroughBatchStatistics()
    {
        // Not a check of equality: per-shard BatchNorm statistics make a different (valid) run, and
        // this guards against a test above passing because sharding did nothing at all.
        var whole = Train(null, shards: 1);
        var sharded = Train(new LocalCommunicator(), shards: 4);
        Assert.True(TrainingSetup.AnyDifferent(whole.State, sharded.State));
    }

    private static Run Train(ICommunicator? communicator, int shards)
    {
        Sequential model = TrainingSetup.TinyCnnWithBatchNorm(7, dropout: false);
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1, momentum: 0.9);
        var loader = new DataLoader(Data, 12, shuffle: true, seed: 5);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions
        {
            Epochs = 2,
            Workers = communicator is null ? null : new DataParallel(communicator, model, shards),
        });
        TrainingHistory history = trainer.Fit(loader, Data);
        return new Run(model, TrainingSetup.Snapshot(model), [.. history.Epochs.SelectMany(e => new[] { e.TrainLoss, e.ValidationLoss ?? double.NaN })]);
    }

    private sealed record Run(Layer Model, List<(string Name, float[] Values)> State, double[] Losses);
}
