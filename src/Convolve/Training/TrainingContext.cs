using Convolve.Data;
using Convolve.Layers;
using Convolve.Optimizers;

namespace Convolve.Training;

/// <summary>
/// What a callback may need, checkpoints above all: the model, the optimizer (its state), the
/// training loader (its state for an exact resume) and the counters. After
/// <see cref="ITrainingCallback.OnEpochEnd"/> a run resumes with <c>StartEpoch = Epoch + 1</c>,
/// <c>StartGlobalStep = GlobalStep</c>, <c>PreviousBestAccuracy = BestAccuracy</c>,
/// <c>PreviousBestEpoch = BestEpoch</c> and the loader
/// restored from <see cref="GetLoaderState"/>.
/// </summary>
public sealed class TrainingContext
{
    internal TrainingContext(Trainer trainer, DataLoader loader, TrainingHistory history, double? bestAccuracy, int? bestEpoch, long globalStep)
    {
        (Trainer, Loader, History, BestAccuracy, BestEpoch, GlobalStep) = (trainer, loader, history, bestAccuracy, bestEpoch, globalStep);
    }

    /// <summary>The trainer (its options and base learning rate).</summary>
    public Trainer Trainer { get; }

    /// <summary>The model being trained.</summary>
    public Layer Model => Trainer.Model;

    /// <summary>The optimizer; <see cref="Optimizer.State"/> is what a checkpoint saves.</summary>
    public Optimizer Optimizer => Trainer.Optimizer;

    /// <summary>The training loader.</summary>
    public DataLoader Loader { get; }

    /// <summary>The reports of the epochs completed in this run.</summary>
    public TrainingHistory History { get; }

    /// <summary>The current epoch, 0-based (at epoch end: the epoch that has just ended).</summary>
    public int Epoch { get; internal set; }

    /// <summary>Steps completed since training began, resumed runs included.</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>The best accuracy so far (see <see cref="EpochReport.IsBest"/>), or null before any epoch.</summary>
    public double? BestAccuracy { get; internal set; }

    /// <summary>The 0-based epoch that reached <see cref="BestAccuracy"/>, or null when unknown (before any epoch).</summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>The loader's position now, for <see cref="DataLoader.SetState"/> on resume.</summary>
    public DataLoaderState GetLoaderState() => Loader.GetState();
}
