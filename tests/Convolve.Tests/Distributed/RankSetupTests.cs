using Convolve.Data;
using Convolve.Distributed;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Tests.Training;

namespace Convolve.Tests.Distributed;

/// <summary>What ranks do before the first step: compare their configuration and take rank 0's state.</summary>
public class RankSetupTests
{
    [Fact]
    public void RanksStartedAlikePassTheCheck()
    {
        ThreadGroup.Run(3, c =>
        {
            ConfigurationCheck.Require(c, [("--seed", "1"), ("model", "lenet5"), ("architecture", new string('x', 500))]);
            return 0;
        });
    }

    [Fact]
    public void EveryRankNamesEachDifferenceWithBothValues()
    {
        var messages = ThreadGroup.Run(3, c =>
        {
            string seed = c.Rank == 2 ? "2" : "1";
            string data = c.Rank == 1 ? "sha-of-other-data" : "sha-of-data";
            var error = Assert.Throws<RankMismatchException>(() => ConfigurationCheck.Require(c, [("--seed", seed), ("training data", data)]));
            return error.Message;
        });
        Assert.All(messages, m => Assert.Equal(messages[0], m));
        Assert.Equal("the ranks were not started alike: rank 1 has training data sha-of-other-data (rank 0: sha-of-data); rank 2 has --seed 2 (rank 0: 1)", messages[0]);
    }

    [Fact]
    public void LongValuesAreComparedByTheirHash()
    {
        var messages = ThreadGroup.Run(2, c =>
            Assert.Throws<RankMismatchException>(() => ConfigurationCheck.Require(c, [("architecture", new string(c.Rank == 0 ? 'a' : 'b', 200))])).Message);
        Assert.Matches("^the ranks were not started alike: rank 1 has architecture crc64:[0-9a-f]{16} \\(rank 0: crc64:[0-9a-f]{16}\\)$", messages[1]);
    }

    [Fact]
    public void FingerprintsTellDataApart()
    {
        Dataset data = TrainingSetup.Blobs(20, 1), same = TrainingSetup.Blobs(20, 1), other = TrainingSetup.Blobs(20, 2);
        Assert.Equal(ConfigurationCheck.Fingerprint(data), ConfigurationCheck.Fingerprint(same));
        Assert.NotEqual(ConfigurationCheck.Fingerprint(data), ConfigurationCheck.Fingerprint(other));
        same.Labels[3] = (same.Labels[3] + 1) % 3;
        Assert.NotEqual(ConfigurationCheck.Fingerprint(data), ConfigurationCheck.Fingerprint(same));
    }

    [Fact]
    public void EveryRankTakesRankZerosWeightsBuffersAndOptimizerState()
    {
        var states = ThreadGroup.Run(3, c =>
        {
            var model = TrainingSetup.TinyCnnWithBatchNorm((ulong)(10 + c.Rank), dropout: false);
            var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.1, momentum: 0.9);
            var data = TrainingSetup.Blobs(6, (ulong)c.Rank);
            optimizer.ZeroGrad();
            var loss = new Convolve.Losses.CrossEntropyLoss();
            loss.Forward(model.Forward(data.Images), data.Labels);
            model.Backward(loss.Backward());
            optimizer.Step();
            model.NamedBuffers().First().Buffer.Data[0] = c.Rank + 0.5f;
            ModelBroadcast.FromRoot(c, model, optimizer);
            return (State: TrainingSetup.Snapshot(model), Momentum: optimizer.State().Select(s => (s.Key, s.Value.Data.ToArray())).ToList());
        });
        var rootModel = TrainingSetup.TinyCnnWithBatchNorm(10, dropout: false);
        Assert.True(TrainingSetup.AnyDifferent(TrainingSetup.Snapshot(rootModel), states[0].State), "rank 0 trained a step before the broadcast");
        for (int rank = 1; rank < 3; rank++)
        {
            Assert.False(TrainingSetup.AnyDifferent(states[0].State, states[rank].State), $"rank {rank} weights and buffers");
            Assert.Equal(states[0].Momentum.Select(m => m.Key), states[rank].Momentum.Select(m => m.Key));
            Assert.All(states[0].Momentum.Zip(states[rank].Momentum), pair => Assert.Equal(pair.First.Item2, pair.Second.Item2));
        }
        Assert.Equal(0.5f, states[2].State.First(s => s.Name.EndsWith("running_mean", StringComparison.Ordinal)).Values[0]);
    }
}
