using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// Frees an epoch's transient large buffers at its end. Writing the checkpoints copies every
/// tensor into byte arrays (about 5 MB a fashion-cnn epoch, in the large-object heap), and the
/// GC, left alone, collected that heap only every few epochs: the resident set of a 10-epoch run
/// crept up ~7 MB an epoch to a peak 6 % above the steady state. One full collection after the
/// checkpoints costs a few milliseconds an epoch (the heap is mostly reference-free float arrays)
/// and keeps the resident set flat. It runs after the checkpoint callback, never inside the steps.
/// </summary>
internal sealed class EpochCollection : ITrainingCallback
{
    public void OnEpochEnd(EpochReport report, TrainingContext context) => GC.Collect();
}
