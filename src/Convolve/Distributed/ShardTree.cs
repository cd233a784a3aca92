using System.Numerics;
using System.Runtime.InteropServices;

namespace Convolve.Distributed;

/// <summary>
/// The one order in which shard values are added: a binary tree over the shard numbers
/// <c>[0, S)</c>, each range <c>[lo, hi)</c> split at <c>lo + ⌊(hi − lo)/2⌋</c>, its two halves'
/// sums added element by element in float. IEEE addition is commutative, so the result depends
/// only on the tree, not on which rank adds which node: a rank sums its own subtree from its
/// shards, the ranks' subtree sums are gathered, and every rank adds the upper levels the same way.
/// </summary>
internal sealed class ShardTree(int shards, int length)
{
    /// <summary>Gives the value of the node <c>[lo, hi)</c> when it is known (a shard, or a rank's subtree sum).</summary>
    public delegate bool NodeValue(int lo, int hi, out ReadOnlyMemory<float> value);

    private readonly List<float[]> scratch = [];

    /// <summary>Whether <c>[lo, hi)</c> is a node of the tree over <paramref name="shards"/> shards.</summary>
    public static bool IsNode(int shards, int lo, int hi)
    {
        var (nodeLo, nodeHi) = (0, shards);
        while (true)
        {
            if (nodeLo == lo && nodeHi == hi)
            {
                return true;
            }
            if (nodeHi - nodeLo <= 1 || lo < nodeLo || hi > nodeHi)
            {
                return false;
            }
            int middle = nodeLo + (nodeHi - nodeLo) / 2;
            (nodeLo, nodeHi) = hi <= middle ? (nodeLo, middle) : lo >= middle ? (middle, nodeHi) : (-1, -1);
            if (nodeLo < 0)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Writes into <paramref name="result"/> the tree sum over the node <c>[lo, hi)</c>, where
    /// <paramref name="known"/> gives the value of each node it covers (ranges that are tree nodes, disjoint,
    /// together covering <c>[lo, hi)</c>): a shard's own value, or a rank's subtree sum.
    /// </summary>
    public void Sum(int lo, int hi, NodeValue known, Span<float> result) => Sum(lo, hi, known, result, 0);

    private void Sum(int lo, int hi, NodeValue known, Span<float> result, int depth)
    {
        if (known(lo, hi, out ReadOnlyMemory<float> value))
        {
            value.Span.CopyTo(result);
            return;
        }
        if (hi - lo <= 1)
        {
            throw new InvalidOperationException($"no value for shard {lo} of {shards}");
        }
        int middle = lo + (hi - lo) / 2;
        while (scratch.Count <= depth)
        {
            scratch.Add(new float[length]);
        }
        Sum(lo, middle, known, result, depth + 1);
        Sum(middle, hi, known, scratch[depth], depth + 1);
        AddInto(result, scratch[depth]);
    }

    /// <summary><c>sum[i] += value[i]</c>, in float.</summary>
    internal static void AddInto(Span<float> sum, ReadOnlySpan<float> value)
    {
        var sums = MemoryMarshal.Cast<float, Vector<float>>(sum);
        var values = MemoryMarshal.Cast<float, Vector<float>>(value);
        for (int i = 0; i < sums.Length; i++)
        {
            sums[i] += values[i];
        }
        for (int i = sums.Length * Vector<float>.Count; i < sum.Length; i++)
        {
            sum[i] += value[i];
        }
    }
}
