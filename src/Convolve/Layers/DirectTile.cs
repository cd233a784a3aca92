using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The register tile of a direct-convolution pass: <see cref="Vectors"/> channel vectors ×
/// up to <see cref="Pixels"/> pixels of a row, which <see cref="DirectMicrokernel"/> keeps in
/// <c>Vectors·Pixels</c> accumulators. Rows are cut into tiles of nearly equal width, and channel
/// blocks into groups of at most <see cref="Vectors"/>, of sizes differing by at most one.
/// </summary>
internal readonly record struct DirectTile(int Vectors, int Pixels)
{
    /// <summary>
    /// The tile that keeps a row of <paramref name="width"/> pixels and <paramref name="blocks"/>
    /// channel blocks cheapest with <paramref name="registers"/> vector registers (one for the
    /// broadcast input, <c>Vectors</c> for the weights, the rest accumulators). A tile step costs
    /// the most of its multiply-adds (<c>p·j</c>), its loads (<c>p + j</c>: two load and two FMA
    /// pipes per cycle) and 8 (the multiply-adds in flight that hide the FMA latency); ties go to the
    /// tile with more accumulators, whose weights are reloaded less often.
    /// </summary>
    public static DirectTile Choose(int blocks, int width, int registers)
    {
        DirectTile best = default;
        double bestCost = double.MaxValue, bestSize = 0;
        for (int vectors = 1; vectors <= Math.Min(DirectMicrokernel.MaxVectors, blocks); vectors++)
        {
            int pixels = Math.Clamp((registers - 1 - vectors) / vectors, 1, DirectMicrokernel.MaxPixels);
            var tile = new DirectTile(vectors, pixels);
            double cost = 0, size = 0, steps = 0;
            foreach (var (_, j) in tile.VectorGroups(blocks))
            {
                foreach (var (_, p) in tile.PixelTiles(width))
                {
                    cost += Math.Max(Math.Max(p * j, p + j), 8);
                    size += p * j;
                    steps++;
                }
            }
            size /= steps;
            if (cost < bestCost - 1e-9 || (Math.Abs(cost - bestCost) < 1e-9 && size > bestSize))
            {
                (best, bestCost, bestSize) = (tile, cost, size);
            }
        }
        return best;
    }

    /// <summary>
    /// The vector groups over <paramref name="blocks"/> channel blocks: (first block, vectors), as few as
    /// <see cref="Vectors"/> allows and of sizes differing by at most one (16 blocks in groups of at most
    /// 3 as 2 + 3 + 3 + 2 + 3 + 3, not 3 + 3 + 3 + 3 + 3 + 1: a one-vector tile of a narrow row has too few
    /// accumulators to hide the multiply-add latency). Which group a channel lands in does not change the
    /// order of its sum.
    /// </summary>
    public IEnumerable<(int First, int Count)> VectorGroups(int blocks)
    {
        for (int group = 0; group < GroupCount(blocks); group++)
        {
            yield return Group(group, blocks);
        }
    }

    /// <summary>How many vector groups <see cref="VectorGroups"/> cuts <paramref name="blocks"/> channel blocks into.</summary>
    public int GroupCount(int blocks) => BalancedCount(blocks, Vectors);

    /// <summary>Vector group <paramref name="group"/> of <see cref="VectorGroups"/>, without enumerating: (first block, vectors).</summary>
    public (int First, int Count) Group(int group, int blocks) => BalancedGroup(group, GroupCount(blocks), blocks);

    /// <summary>How many groups of at most <paramref name="most"/> cover <paramref name="count"/> items (at least one).</summary>
    public static int BalancedCount(int count, int most) => Math.Max(1, (count + most - 1) / most);

    /// <summary>Group <paramref name="group"/> of <paramref name="count"/> items cut into <paramref name="groups"/> runs whose sizes differ by at most one: (first, size).</summary>
    public static (int First, int Count) BalancedGroup(int group, int groups, int count)
    {
        int first = (int)((long)group * count / groups), end = (int)((long)(group + 1) * count / groups);
        return (first, end - first);
    }

    /// <summary>Tiles of a row of <paramref name="width"/> pixels: (first pixel, pixels), widths differing by at most one tile's rounding.</summary>
    public IEnumerable<(int First, int Count)> PixelTiles(int width)
    {
        int step = TileWidth(width);
        for (int first = 0; first < width; first += step)
        {
            yield return (first, Math.Min(step, width - first));
        }
    }

    /// <summary>The width of the full tiles of a row: <c>⌈width / ⌈width / Pixels⌉⌉</c>.</summary>
    public int TileWidth(int width)
    {
        int tiles = Math.Max(1, (width + Pixels - 1) / Pixels);
        return Math.Max(1, (width + tiles - 1) / tiles);
    }
}
