using Convolve.Data;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.DataPipeline;

/// <summary>Batching, seeded shuffling, drop-last, buffer reuse and exact resume.</summary>
public class DataLoaderTests
{
    /// <summary>N items of shape [C, H, W] whose every pixel is the item's index, labelled index mod 10.</summary>
    internal static Dataset Indexed(int count, int channels = 1, int height = 3, int width = 4)
    {
        var images = new Tensor(new Shape(count, channels, height, width));
        int itemSize = channels * height * width;
        for (int i = 0; i < count; i++)
        {
            images.Span.Slice(i * itemSize, itemSize).Fill(i);
        }
        return new Dataset(images, Enumerable.Range(0, count).Select(i => i % 10).ToArray(), 10);
    }

    /// <summary>N random images [C, H, W] in [0, 1), each labelled with its own index.</summary>
    internal static Dataset RandomImages(int count, int channels, int height, int width, ulong seed) =>
        new(Tensor.RandomUniform(new Shape(count, channels, height, width), seed), Enumerable.Range(0, count).ToArray(), count);

    /// <summary>The items of each batch of one epoch, read back from the pixels.</summary>
    private static List<int[]> EpochItems(DataLoader loader) =>
        loader.Batches().Select(batch => Items(batch.Images, batch.Labels)).ToList();

    private static int[] Items(Tensor images, int[] labels)
    {
        int n = images.Shape[0], itemSize = images.Size / n;
        var items = new int[n];
        for (int b = 0; b < n; b++)
        {
            items[b] = (int)images.Data[b * itemSize];
            Assert.Equal(items[b] % 10, labels[b]);
        }
        return items;
    }

    [Theory]
    [InlineData(10, 4, false, new[] { 4, 4, 2 })]
    [InlineData(10, 4, true, new[] { 4, 4 })]
    [InlineData(12, 4, false, new[] { 4, 4, 4 })]
    [InlineData(12, 4, true, new[] { 4, 4, 4 })]
    [InlineData(3, 8, false, new[] { 3 })]
    public void Every_item_once_per_epoch_with_the_right_batch_shapes(int count, int batchSize, bool dropLast, int[] sizes)
    {
        var loader = new DataLoader(Indexed(count, channels: 2), batchSize, shuffle: true, seed: 7, dropLast: dropLast);
        Assert.Equal(sizes.Length, loader.BatchesPerEpoch);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(epoch, loader.Epoch);
            var batches = loader.Batches().Select(b => (b.Images.Shape, Items: Items(b.Images, b.Labels))).ToList();
            Assert.Equal(sizes, batches.Select(b => b.Shape[0]));
            Assert.All(batches, b => Assert.Equal(new Shape(b.Shape[0], 2, 3, 4), b.Shape));
            var seen = batches.SelectMany(b => b.Items).ToList();
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(dropLast ? sizes.Sum() : count, seen.Count);
            Assert.All(seen, i => Assert.InRange(i, 0, count - 1));
        }
    }

    [Fact]
    public void Shuffle_is_reproducible_for_a_seed_and_differs_across_seeds_and_epochs()
    {
        var a = new DataLoader(Indexed(50), 8, shuffle: true, seed: 3);
        var b = new DataLoader(Indexed(50), 8, shuffle: true, seed: 3);
        var c = new DataLoader(Indexed(50), 8, shuffle: true, seed: 4);
        var a0 = EpochItems(a).SelectMany(x => x).ToArray();
        Assert.Equal(a0, EpochItems(b).SelectMany(x => x));
        Assert.NotEqual(a0, EpochItems(c).SelectMany(x => x));
        Assert.NotEqual(a0, EpochItems(a).SelectMany(x => x));
        Assert.NotEqual(Enumerable.Range(0, 50), a0);
    }

    [Fact]
    public void Without_shuffle_items_come_in_dataset_order()
    {
        var loader = new DataLoader(Indexed(7), 3, shuffle: false);
        Assert.Equal(Enumerable.Range(0, 7), EpochItems(loader).SelectMany(x => x));
        Assert.Equal(Enumerable.Range(0, 7), EpochItems(loader).SelectMany(x => x));
    }

    [Fact]
    public void Batches_reuse_their_buffers_and_allocate_nothing_in_steady_state()
    {
        var loader = new DataLoader(Indexed(1000, 1, 28, 28), 10, seed: 1, augment: new Augmentation(2, true));
        var first = loader.NextBatch();
        var second = loader.NextBatch();
        Assert.Same(first.Images, second.Images);
        Assert.Same(first.Labels, second.Labels);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            loader.NextBatch();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static TheoryData<int, bool> ResumePoints => new() { { 0, false }, { 3, false }, { 6, true }, { 7, true }, { 13, true } };

    [Theory]
    [MemberData(nameof(ResumePoints))]
    public void Resuming_from_a_captured_state_gives_identical_next_batches(int taken, bool augment)
    {
        Augmentation? augmentation = augment ? new Augmentation(cropPadding: 1, horizontalFlip: true) : null;
        var original = new DataLoader(RandomImages(27, 2, 5, 5, 8), 4, shuffle: true, seed: 11, augment: augmentation);
        for (int i = 0; i < taken; i++)
        {
            original.NextBatch();
        }
        var state = original.GetState();
        var expected = Enumerable.Range(0, 12).Select(_ => Snapshot(original.NextBatch())).ToList();

        var resumed = new DataLoader(RandomImages(27, 2, 5, 5, 8), 4, shuffle: true, seed: 999, augment: augmentation);
        resumed.NextBatch(); // a loader already in use is moved, not only a fresh one
        resumed.SetState(state);
        Assert.Equal((taken / 7, taken % 7), (resumed.Epoch, resumed.Position));
        for (int i = 0; i < expected.Count; i++)
        {
            var (images, labels) = Snapshot(resumed.NextBatch());
            TensorAssert.Identical(expected[i].Images, images, $"batch {i} after resuming at {taken}");
            Assert.Equal(expected[i].Labels, labels);
        }
    }

    private static (float[] Images, int[] Labels) Snapshot((Tensor Images, int[] Labels) batch) =>
        ((float[])batch.Images.Data.Clone(), (int[])batch.Labels.Clone());

    [Fact]
    public void Invalid_states_are_refused_and_change_nothing()
    {
        var loader = new DataLoader(Indexed(10), 4, seed: 2);
        loader.NextBatch();
        var good = loader.GetState();
        var other = new DataLoader(Indexed(12), 4).GetState();
        Assert.Contains("the state is for 12 items in batches of 4 but this loader has 10 items in batches of 4",
            Assert.Throws<ArgumentException>(() => loader.SetState(other)).Message, StringComparison.Ordinal);
        Assert.Contains("position 3 in [0, 3)",
            Assert.Throws<ArgumentException>(() => loader.SetState(good with { Position = 3 })).Message, StringComparison.Ordinal);
        Assert.Contains("epoch -1", Assert.Throws<ArgumentException>(() => loader.SetState(good with { Epoch = -1 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => loader.SetState(good with { ShuffleState = [1, 2] }));
        Assert.Throws<ArgumentException>(() => loader.SetState(good with { AugmentState = [0, 0, 0, 0, 0, 0] }));
        var after = loader.GetState();
        Assert.Equal((good.Epoch, good.Position), (after.Epoch, after.Position));
        Assert.Equal(good.ShuffleState, after.ShuffleState);
        Assert.Equal(good.AugmentState, after.AugmentState);
    }

    [Fact]
    public void Constructor_refuses_impossible_batching()
    {
        Assert.Contains("batchSize must be positive but got 0",
            Assert.Throws<ArgumentException>(() => new DataLoader(Indexed(5), 0)).Message, StringComparison.Ordinal);
        Assert.Contains("a data set of 5 items gives no batch of 8 with dropLast",
            Assert.Throws<ArgumentException>(() => new DataLoader(Indexed(5), 8, dropLast: true)).Message, StringComparison.Ordinal);
        Assert.Contains("cropPadding must be non-negative but got -1",
            Assert.Throws<ArgumentException>(() => new Augmentation(-1)).Message, StringComparison.Ordinal);
    }
}
