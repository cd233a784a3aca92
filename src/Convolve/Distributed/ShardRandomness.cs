using Convolve.Tensors;

namespace Convolve.Distributed;

/// <summary>
/// Random draws during a step (dropout masks from <see cref="RandomSource.Global"/>) that do not
/// depend on how the shards are shared out. With one shard nothing changes. With several, the step
/// draws one seed from the global generator (advancing it alike on every rank), each shard's forward
/// pass draws from a generator seeded by that seed and the shard's number, and afterwards the global
/// generator is where the seed left it: a shard's masks are the same whichever rank computes it, and
/// the global generator's sequence is the same for any number of ranks.
/// </summary>
internal sealed class ShardRandomness(int shards)
{
    /// <summary>An odd 64-bit constant (2⁶⁴/φ) that spreads shard numbers over the seed's bits.</summary>
    private const ulong Spread = 0x9E3779B97F4A7C15;

    private ulong stepSeed;
    private ulong[]? afterStep;

    /// <summary>Draws the step's seed.</summary>
    public void BeginStep()
    {
        if (shards > 1)
        {
            stepSeed = RandomSource.Global.NextUInt64();
            afterStep = RandomSource.Global.GetState();
        }
    }

    /// <summary>Points the global generator at shard <paramref name="shard"/>'s own sequence.</summary>
    public void BeginShard(int shard)
    {
        if (shards > 1)
        {
            RandomSource.Global.SetState(new RandomSource(stepSeed ^ ((ulong)(shard + 1) * Spread)).GetState());
        }
    }

    /// <summary>Leaves the global generator just after the step's seed.</summary>
    public void EndStep()
    {
        if (afterStep is not null)
        {
            RandomSource.Global.SetState(afterStep);
        }
    }
}
