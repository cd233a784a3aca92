using Convolve.Data;
using Convolve.Tensors;

namespace Convolve.Tests.DataPipeline;

/// <summary>Random crop with zero padding and horizontal flip, against a direct pad–crop–flip reference.</summary>
public class AugmentationTests
{
    /// <summary>Straight from the definition: pad by p with black, crop H×W at (top, left), then mirror if asked.</summary>
    private static float[] Reference(ReadOnlySpan<float> item, int c, int h, int w, int p, int top, int left, bool flip, float black)
    {
        var padded = new float[c, h + 2 * p, w + 2 * p];
        for (int ch = 0; ch < c; ch++)
        {
            for (int y = 0; y < h + 2 * p; y++)
            {
                for (int x = 0; x < w + 2 * p; x++)
                {
                    bool inside = y >= p && y < h + p && x >= p && x < w + p;
                    padded[ch, y, x] = inside ? item[(ch * h + y - p) * w + x - p] : black;
                }
            }
        }
        var output = new float[c * h * w];
        for (int ch = 0; ch < c; ch++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    output[(ch * h + y) * w + x] = padded[ch, top + y, left + (flip ? w - 1 - x : x)];
                }
            }
        }
        return output;
    }

    [Theory]
    [InlineData(2, true, false)]
    [InlineData(1, false, false)]
    [InlineData(0, true, false)]
    [InlineData(1, true, true)]
    public void Every_output_is_a_padded_crop_or_its_mirror_and_all_choices_occur(int padding, bool flip, bool normalised)
    {
        const int C = 2, H = 5, W = 6;
        var dataset = DataLoaderTests.RandomImages(400, C, H, W, seed: 5);
        if (normalised)
        {
            dataset.Normalize(0.5, 0.25);
        }
        float black = normalised ? -2f : 0f;
        var loader = new DataLoader(dataset, 16, shuffle: true, seed: 21, augment: new Augmentation(padding, flip));
        var used = new HashSet<(int, int, bool)>();
        int itemSize = C * H * W;
        foreach (var (images, labels) in loader.Batches())
        {
            Assert.Equal(new Shape(labels.Length, C, H, W), images.Shape);
            for (int b = 0; b < labels.Length; b++)
            {
                float[] source = dataset.Images.Span.Slice(labels[b] * itemSize, itemSize).ToArray();
                float[] output = images.Span.Slice(b * itemSize, itemSize).ToArray();
                var match = Candidates(padding, flip).Cast<(int Top, int Left, bool Flip)?>()
                    .FirstOrDefault(k => output.AsSpan().SequenceEqual(Reference(source, C, H, W, padding, k!.Value.Top, k.Value.Left, k.Value.Flip, black)));
                Assert.True(match.HasValue, $"item {labels[b]} is no padded crop of its source");
                used.Add(match.Value);
            }
        }
        Assert.Equal(Candidates(padding, flip).Count(), used.Count);
    }

    private static IEnumerable<(int Top, int Left, bool Flip)> Candidates(int padding, bool flip) =>
        from top in Enumerable.Range(0, 2 * padding + 1)
        from left in Enumerable.Range(0, 2 * padding + 1)
        from mirrored in flip ? new[] { false, true } : [false]
        select (top, left, mirrored);

    [Fact]
    public void Augmentation_is_reproducible_for_a_seed_and_differs_across_seeds()
    {
        float[] Epoch(ulong seed) => new DataLoader(DataLoaderTests.RandomImages(40, 1, 8, 8, 3), 40, shuffle: false, seed: seed,
            augment: new Augmentation(2, true)).NextBatch().Images.Data.ToArray();
        Assert.Equal(Epoch(17), Epoch(17));
        Assert.NotEqual(Epoch(17), Epoch(18));
    }

    [Fact]
    public void Default_augmentation_copies_items_unchanged()
    {
        var dataset = DataLoaderTests.RandomImages(6, 3, 4, 4, 9);
        var batch = new DataLoader(dataset, 6, shuffle: false, augment: new Augmentation()).NextBatch();
        Assert.Equal(dataset.Images.Data, batch.Images.Data);
    }
}
