using Convolve.Distributed;

namespace Convolve.Tests.Distributed;

/// <summary>The fixed summation order and the rank counts it allows.</summary>
public class ShardTreeTests
{
    // Values whose float sum depends on the order: 1e8 + 1 rounds back to 1e8 (float has 24 bits),
    // so the tree ((a + b) + (c + d)) and the running sum (((a + b) + c) + d) give different results.
    private static readonly float[] Values = [1e8f, 1f, -1e8f, 1f];

    [Fact]
    public void FourShardsAreAddedPairwiseAlongTheTree()
    {
        var tree = new ShardTree(4, 1);
        var result = new float[1];
        tree.Sum(0, 4, Leaf, result);
        float expected = (Values[0] + Values[1]) + (Values[2] + Values[3]);
        Assert.Equal(expected, result[0]);
        Assert.NotEqual(((Values[0] + Values[1]) + Values[2]) + Values[3], result[0]);
    }

    [Fact]
    public void TwoRanksSubtreeSumsGiveTheOneProcessResult()
    {
        var tree = new ShardTree(4, 1);
        var whole = new float[1];
        tree.Sum(0, 4, Leaf, whole);
        var halves = new float[2][];
        for (int rank = 0; rank < 2; rank++)
        {
            halves[rank] = new float[1];
            tree.Sum(2 * rank, 2 * rank + 2, Leaf, halves[rank]);
        }
        var combined = new float[1];
        tree.Sum(0, 4, (int lo, int hi, out ReadOnlyMemory<float> value) =>
        {
            value = hi - lo == 2 ? halves[lo / 2] : default;
            return hi - lo == 2;
        }, combined);
        Assert.Equal(whole[0], combined[0]);
    }

    [Fact]
    public void AddIntoCoversTheVectorBodyAndTheTail()
    {
        float[] sum = [.. Enumerable.Range(0, 37).Select(i => (float)i)];
        float[] value = [.. Enumerable.Range(0, 37).Select(i => 0.5f * i)];
        ShardTree.AddInto(sum, value);
        Assert.Equal(Enumerable.Range(0, 37).Select(i => 1.5f * i), sum);
    }

    [Theory]
    [InlineData(6, 0, 3, true)]
    [InlineData(6, 1, 3, true)]
    [InlineData(6, 0, 2, false)]
    [InlineData(6, 2, 4, false)]
    [InlineData(8, 4, 8, true)]
    [InlineData(8, 2, 6, false)]
    [InlineData(1, 0, 1, true)]
    public void NodesAreTheRangesTheMidpointSplitsMake(int shards, int lo, int hi, bool node) =>
        Assert.Equal(node, ShardTree.IsNode(shards, lo, hi));

    [Fact]
    public void PowersOfTwoSplitOverEveryPowerOfTwoUpToThem()
    {
        foreach (int shards in (int[])[1, 2, 4, 8, 16])
        {
            for (int ranks = 1; ranks <= shards; ranks *= 2)
            {
                Assert.True(ShardPlan.Splits(shards, ranks), $"{shards} shards over {ranks} ranks");
            }
        }
    }

    [Fact]
    public void SixShardsDoNotSplitOverThreeRanks()
    {
        // Ranks would hold [0,2), [2,4), [4,6); the root splits at 3 and [0,3) at 1, so [0,2) is no node.
        Assert.False(ShardPlan.Splits(6, 3));
        var error = Assert.Throws<ArgumentException>(() => new ShardPlan(6, 3));
        Assert.Contains("6 gradient shards cannot be shared by 3 ranks", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(3, ShardPlan.RankCounts(6));
        Assert.Contains(2, ShardPlan.RankCounts(6));
        Assert.False(ShardPlan.Splits(2, 4));
    }

    [Fact]
    public void ShardsCutTheBatchTheSameWayForEveryRankCount()
    {
        var two = new ShardPlan(4, 2);
        var four = new ShardPlan(4, 4);
        Assert.Equal([0, 2, 5, 7, 10], Enumerable.Range(0, 5).Select(s => two.ShardStart(s, 10)));
        Assert.Equal(Enumerable.Range(0, 5).Select(s => two.ShardStart(s, 10)), Enumerable.Range(0, 5).Select(s => four.ShardStart(s, 10)));
        Assert.Equal((2, 4), (two.FirstShard(1), two.EndShard(1)));
        Assert.Equal((3, 4), (four.FirstShard(3), four.EndShard(3)));
    }

    private static bool Leaf(int lo, int hi, out ReadOnlyMemory<float> value)
    {
        value = hi - lo == 1 ? Values.AsMemory(lo, 1) : default;
        return hi - lo == 1;
    }
}
