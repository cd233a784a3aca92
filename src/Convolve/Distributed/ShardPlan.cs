namespace Convolve.Distributed;

/// <summary>
/// How a global batch is cut and who computes what, fixed by the shard count S alone: a batch of n
/// images is always cut into the same S shards (shard s holds images <c>[⌊s·n/S⌋, ⌊(s+1)·n/S⌋)</c>),
/// whatever the number of ranks P; rank r computes the consecutive shards
/// <c>[⌊r·S/P⌋, ⌊(r+1)·S/P⌋)</c>. Shard gradients are summed along one binary tree over the shard
/// numbers (<see cref="ShardTree"/>), so P only decides who adds which subtree: each rank's shards
/// must form one subtree, which holds for every P that divides S when S is a power of two.
/// </summary>
public sealed class ShardPlan
{
    /// <summary>Plans <paramref name="shards"/> shards over <paramref name="ranks"/> ranks.</summary>
    /// <exception cref="ArgumentException">The counts are not positive, or the ranks' shards do not each form a subtree; the message lists the rank counts that work.</exception>
    public ShardPlan(int shards, int ranks)
    {
        if (shards < 1 || ranks < 1)
        {
            throw new ArgumentException($"the shard count ({shards}) and the rank count ({ranks}) must be positive", nameof(shards));
        }
        if (!Splits(shards, ranks))
        {
            throw new ArgumentException(
                $"{shards} gradient shard{(shards == 1 ? "" : "s")} cannot be shared by {ranks} ranks so that each rank's shards form one subtree of the fixed summation tree; "
                + $"with {shards} shard{(shards == 1 ? "" : "s")} use {string.Join(", ", RankCounts(shards))} ranks, or choose another shard count (a power of two splits over any power of two up to it)",
                nameof(ranks));
        }
        (Shards, Ranks) = (shards, ranks);
    }

    /// <summary>The shard count S.</summary>
    public int Shards { get; }

    /// <summary>The rank count P.</summary>
    public int Ranks { get; }

    /// <summary>The first shard of rank <paramref name="rank"/>.</summary>
    public int FirstShard(int rank) => (int)((long)rank * Shards / Ranks);

    /// <summary>One past the last shard of rank <paramref name="rank"/>.</summary>
    public int EndShard(int rank) => FirstShard(rank + 1);

    /// <summary>The first image of shard <paramref name="shard"/> in a batch of <paramref name="batch"/> images.</summary>
    public int ShardStart(int shard, int batch) => (int)((long)shard * batch / Shards);

    /// <summary>The rank counts that can share <paramref name="shards"/> shards (each rank's shards one subtree), ascending.</summary>
    public static IReadOnlyList<int> RankCounts(int shards) => [.. Enumerable.Range(1, shards).Where(p => Splits(shards, p))];

    /// <summary>Whether every rank's block of <paramref name="shards"/> shards over <paramref name="ranks"/> ranks is a node of the tree.</summary>
    public static bool Splits(int shards, int ranks)
    {
        if (ranks > shards)
        {
            return false;
        }
        for (int r = 0; r < ranks; r++)
        {
            if (!ShardTree.IsNode(shards, (int)((long)r * shards / ranks), (int)((long)(r + 1) * shards / ranks)))
            {
                return false;
            }
        }
        return true;
    }
}
