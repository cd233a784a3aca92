namespace Convolve.Data;

/// <summary>
/// Where a <see cref="DataLoader"/> is, for an exact resume: the epoch, the batches already taken
/// in it, the shuffle generator's state at the start of the epoch (the permutation is redrawn from
/// it) and the augmentation generator's current state. <see cref="Count"/> and
/// <see cref="BatchSize"/> guard against restoring into a loader over other data.
/// </summary>
/// <param name="Count">Items in the data set.</param>
/// <param name="BatchSize">Items per batch.</param>
/// <param name="Epoch">The current epoch, from 0.</param>
/// <param name="Position">Batches already taken in the current epoch.</param>
/// <param name="ShuffleState">The shuffle generator's state at the start of <paramref name="Epoch"/> (RandomSource.GetState).</param>
/// <param name="AugmentState">The augmentation generator's state now.</param>
public sealed record DataLoaderState(int Count, int BatchSize, int Epoch, int Position, ulong[] ShuffleState, ulong[] AugmentState);
