using Convolve.Tensors;

namespace Convolve.Data;

/// <summary>
/// Serves a <see cref="Dataset"/> in batches: each epoch visits every item once, in a seeded
/// Fisher–Yates permutation when shuffling, with optional seeded <see cref="Augmentation"/>.
/// Batches are written into buffers allocated once, so a batch is valid until the next is taken.
/// <see cref="GetState"/> and <see cref="SetState"/> capture and restore the position exactly.
/// </summary>
public sealed class DataLoader
{
    private readonly Dataset dataset;
    private readonly RandomSource shuffleRandom, augmentRandom;
    private readonly int[] permutation;
    private readonly (Tensor Images, int[] Labels) full;
    private readonly (Tensor Images, int[] Labels)? last;
    private readonly Shape itemShape;
    private readonly int itemSize;
    private ulong[] epochStartState = [];
    private int permutationEpoch = -1;

    /// <summary>Creates the loader and its batch buffers.</summary>
    /// <param name="dataset">The items to serve.</param>
    /// <param name="batchSize">Items per batch.</param>
    /// <param name="shuffle">Whether each epoch uses a fresh seeded permutation (else dataset order).</param>
    /// <param name="seed">Seeds the shuffle and the augmentation (two independent generators derived from it).</param>
    /// <param name="dropLast">Whether a final batch smaller than <paramref name="batchSize"/> is skipped.</param>
    /// <param name="augment">Augmentation applied to every item, or null for none.</param>
    /// <exception cref="ArgumentException">The batch size is not positive, or no batch can be formed.</exception>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = true, ulong seed = 0, bool dropLast = false, Augmentation? augment = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize <= 0)
        {
            throw new ArgumentException($"batchSize must be positive but got {batchSize}", nameof(batchSize));
        }
        int remainder = dataset.Count % batchSize;
        BatchesPerEpoch = dataset.Count / batchSize + (dropLast || remainder == 0 ? 0 : 1);
        if (BatchesPerEpoch == 0)
        {
            throw new ArgumentException(
                $"a data set of {dataset.Count} items gives no batch of {batchSize}{(dropLast ? " with dropLast" : "")}", nameof(batchSize));
        }
        (this.dataset, BatchSize, Shuffle, DropLast, Augment) = (dataset, batchSize, shuffle, dropLast, augment);
        var root = new RandomSource(seed);
        (shuffleRandom, augmentRandom) = (new RandomSource(root.NextUInt64()), new RandomSource(root.NextUInt64()));
        permutation = new int[dataset.Count];
        itemShape = dataset.ItemShape;
        itemSize = itemShape.Size;
        full = Buffers(Math.Min(batchSize, dataset.Count));
        last = !dropLast && remainder != 0 && dataset.Count > batchSize ? Buffers(remainder) : null;
    }

    /// <summary>Items per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether epochs are shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether an incomplete final batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The augmentation applied to each item, or null.</summary>
    public Augmentation? Augment { get; }

    /// <summary>The number of batches in every epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The current epoch, counting from 0; it advances when its last batch is taken.</summary>
    public int Epoch { get; private set; }

    /// <summary>The number of batches already taken in the current epoch.</summary>
    public int Position { get; private set; }

    /// <summary>
    /// The next batch: images <c>Shape [B, C, H, W]</c> and their labels, in reused buffers that the
    /// following call overwrites. After an epoch's last batch the next epoch begins.
    /// </summary>
    public (Tensor Images, int[] Labels) NextBatch()
    {
        EnsurePermutation();
        int start = Position * BatchSize, count = Math.Min(BatchSize, dataset.Count - start);
        var batch = count == full.Labels.Length ? full : last!.Value;
        ReadOnlySpan<float> black = dataset.ZeroPixelSpan;
        ReadOnlySpan<float> images = dataset.Images.Span;
        Span<float> output = batch.Images.Span;
        for (int b = 0; b < count; b++)
        {
            int item = permutation[start + b];
            var source = images.Slice(item * itemSize, itemSize);
            var destination = output.Slice(b * itemSize, itemSize);
            if (Augment is null)
            {
                source.CopyTo(destination);
            }
            else
            {
                Augment.Apply(source, destination, itemShape, black, augmentRandom);
            }
            batch.Labels[b] = dataset.Labels[item];
        }
        if (++Position == BatchesPerEpoch)
        {
            (Epoch, Position) = (Epoch + 1, 0);
        }
        return batch;
    }

    /// <summary>The remaining batches of the current epoch (all of them when at its start), in order.</summary>
    public IEnumerable<(Tensor Images, int[] Labels)> Batches()
    {
        int epoch = Epoch;
        do
        {
            yield return NextBatch();
        }
        while (Epoch == epoch);
    }

    /// <summary>Captures the position for an exact resume with <see cref="SetState"/>.</summary>
    public DataLoaderState GetState() => new(dataset.Count, BatchSize, Epoch, Position,
        permutationEpoch == Epoch ? (ulong[])epochStartState.Clone() : shuffleRandom.GetState(), augmentRandom.GetState());

    /// <summary>Restores a position captured by <see cref="GetState"/>; validates everything before changing anything.</summary>
    /// <exception cref="ArgumentException">The state belongs to other data or another batch size, or is out of range.</exception>
    public void SetState(DataLoaderState state)
    {
        CheckState(state);
        augmentRandom.SetState(state.AugmentState);
        shuffleRandom.SetState(state.ShuffleState);
        (Epoch, Position, permutationEpoch) = (state.Epoch, state.Position, -1);
    }

    /// <summary>Throws what <see cref="SetState"/> would throw for <paramref name="state"/>, changing nothing.</summary>
    /// <exception cref="ArgumentException">The state belongs to other data or another batch size, or is out of range.</exception>
    public void CheckState(DataLoaderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count != dataset.Count || state.BatchSize != BatchSize)
        {
            throw new ArgumentException(
                $"the state is for {state.Count} items in batches of {state.BatchSize} but this loader has {dataset.Count} items in batches of {BatchSize}", nameof(state));
        }
        if (state.Epoch < 0 || state.Position < 0 || state.Position >= BatchesPerEpoch)
        {
            throw new ArgumentException(
                $"the state's epoch {state.Epoch} must be non-negative and its position {state.Position} in [0, {BatchesPerEpoch})", nameof(state));
        }
        // Validated on scratch generators, so that a bad state changes nothing.
        new RandomSource(0).SetState(state.ShuffleState ?? throw new ArgumentException("the state's ShuffleState is null", nameof(state)));
        new RandomSource(0).SetState(state.AugmentState ?? throw new ArgumentException("the state's AugmentState is null", nameof(state)));
    }

    private void EnsurePermutation()
    {
        if (permutationEpoch == Epoch)
        {
            return;
        }
        epochStartState = shuffleRandom.GetState();
        for (int i = 0; i < permutation.Length; i++)
        {
            permutation[i] = i;
        }
        if (Shuffle)
        {
            for (int i = permutation.Length - 1; i > 0; i--)
            {
                int j = shuffleRandom.NextInt(i + 1);
                (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
            }
        }
        permutationEpoch = Epoch;
    }

    private (Tensor Images, int[] Labels) Buffers(int count)
    {
        int[] dimensions = [count, .. itemShape.Dimensions];
        return (new Tensor(new Shape(dimensions)), new int[count]);
    }
}
