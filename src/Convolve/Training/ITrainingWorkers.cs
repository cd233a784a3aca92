using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>
/// Who computes a training step's gradient and scores the validation set: by default (no workers
/// in <see cref="TrainerOptions.Workers"/>) this process alone, on the whole batch; data-parallel
/// training (<c>Convolve.Distributed.DataParallel</c>) splits the batch into shards over several
/// processes and sums their gradients. The trainer does everything else (the NaN guard, clipping,
/// the schedule, the optimizer step) itself, so every process takes the same step.
/// </summary>
public interface ITrainingWorkers
{
    /// <summary>
    /// Leaves in every parameter's <see cref="Parameter.Grad"/> the gradient of <paramref name="loss"/>
    /// over the whole batch (the model is in training mode and its gradients are zero) and returns the
    /// batch's loss as <see cref="CrossEntropyLoss.Forward(Tensor, ReadOnlySpan{int})"/> reports it (mean or sum by its
    /// reduction) and the number of images classified correctly. A non-finite loss may leave the
    /// gradients incomplete: the trainer then stops without applying them.
    /// </summary>
    /// <param name="model">The model, in training mode.</param>
    /// <param name="loss">The training loss.</param>
    /// <param name="images">The batch, <c>Shape [B, C, H, W]</c>, the same on every worker.</param>
    /// <param name="labels">The batch's labels.</param>
    (double Loss, int Correct) ComputeGradient(Layer model, CrossEntropyLoss loss, Tensor images, int[] labels);

    /// <summary>Scores <paramref name="model"/> on <paramref name="data"/> as <see cref="Evaluator.Evaluate"/> does.</summary>
    EvaluationResult Evaluate(Layer model, Dataset data, int batchSize);
}
