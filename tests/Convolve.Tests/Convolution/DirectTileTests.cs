using Convolve.Layers;

namespace Convolve.Tests.Convolution;

/// <summary>
/// The register tiles of direct convolution: the vector groups cover every channel block once, in as few groups as
/// the tile allows, with sizes differing by at most one; and the tile chosen for the AVX2 register file (16) on a
/// row of 7 with 16 blocks (Conv2d(64,128,3) on 7×7 at 8 lanes) is the 3-vector one, in balanced groups.
/// </summary>
public class DirectTileTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 3)]
    [InlineData(8, 3)]
    [InlineData(5, 4)]
    [InlineData(13, 4)]
    [InlineData(7, 1)]
    public void Vector_groups_cover_the_blocks_in_balanced_runs(int blocks, int vectors)
    {
        var tile = new DirectTile(vectors, 4);
        var groups = tile.VectorGroups(blocks).ToList();
        Assert.Equal((blocks + vectors - 1) / vectors, groups.Count);
        Assert.Equal(groups.Count, tile.GroupCount(blocks));
        int next = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            Assert.Equal(next, groups[g].First);
            Assert.InRange(groups[g].Count, 1, vectors);
            Assert.Equal(groups[g], tile.Group(g, blocks));
            next += groups[g].Count;
        }
        Assert.Equal(blocks, next);
        Assert.InRange(groups.Max(group => group.Count) - groups.Min(group => group.Count), 0, 1);
    }

    [Fact]
    public void Avx2_tile_for_rows_of_7_and_16_blocks_has_no_one_vector_group()
    {
        DirectTile tile = DirectTile.Choose(16, 7, 16);
        Assert.Equal(new DirectTile(3, 4), tile);
        Assert.Equal([2, 3, 3, 2, 3, 3], tile.VectorGroups(16).Select(group => group.Count));
    }
}
