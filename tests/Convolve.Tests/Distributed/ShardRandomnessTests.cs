using Convolve.Distributed;
using Convolve.Tensors;

namespace Convolve.Tests.Distributed;

/// <summary>Dropout's draws during a sharded step depend on the shard, not on which rank computes it.</summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public class ShardRandomnessTests
{
    [Fact]
    public void AShardDrawsTheSameWhetherItsRankComputesOneShardOrAll()
    {
        // One process computes shards 0-3 in turn; rank 1 of 2 computes shards 2 and 3 only.
        var all = DrawsOf(shards: 4, computed: [0, 1, 2, 3]);
        var rankOne = DrawsOf(shards: 4, computed: [2, 3]);
        Assert.Equal(all[2], rankOne[2]);
        Assert.Equal(all[3], rankOne[3]);
        Assert.NotEqual(all[2], all[3]);
    }

    [Fact]
    public void TheGlobalGeneratorEndsOneDrawOnWhateverTheShardsDrew()
    {
        RandomSource.ManualSeed(11);
        RandomSource.Global.NextUInt64();
        ulong expected = RandomSource.Global.NextUInt64();
        DrawsOf(shards: 4, computed: [1, 3]);
        Assert.Equal(expected, RandomSource.Global.NextUInt64());
    }

    [Fact]
    public void OneShardLeavesTheGlobalGeneratorAlone()
    {
        RandomSource.ManualSeed(11);
        ulong expected = RandomSource.Global.NextUInt64();
        RandomSource.ManualSeed(11);
        var randomness = new ShardRandomness(1);
        randomness.BeginStep();
        randomness.BeginShard(0);
        Assert.Equal(expected, RandomSource.Global.NextUInt64());
        randomness.EndStep();
    }

    /// <summary>From seed 11, one sharded step in which the given shards each draw three values.</summary>
    private static Dictionary<int, ulong[]> DrawsOf(int shards, int[] computed)
    {
        RandomSource.ManualSeed(11);
        var randomness = new ShardRandomness(shards);
        randomness.BeginStep();
        var draws = new Dictionary<int, ulong[]>();
        foreach (int shard in computed)
        {
            randomness.BeginShard(shard);
            draws[shard] = [RandomSource.Global.NextUInt64(), RandomSource.Global.NextUInt64(), RandomSource.Global.NextUInt64()];
        }
        randomness.EndStep();
        return draws;
    }
}
