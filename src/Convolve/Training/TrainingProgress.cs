namespace Convolve.Training;

/// <summary>
/// Where training is after one optimizer step, reported after every step (a display throttles
/// itself). Epochs are 0-based indices; steps are counts, so the first step of an epoch has
/// <see cref="StepInEpoch"/> 1. Means are over the images of the current epoch seen in this run.
/// </summary>
/// <param name="Epoch">The current epoch, 0-based.</param>
/// <param name="Epochs">The total number of epochs.</param>
/// <param name="StepInEpoch">Steps completed in this epoch, 1 to <paramref name="StepsPerEpoch"/>.</param>
/// <param name="StepsPerEpoch">Batches in every epoch.</param>
/// <param name="GlobalStep">Steps completed since training began (resumed runs included).</param>
/// <param name="Loss">This batch's mean loss.</param>
/// <param name="MeanLoss">The mean loss per image over the epoch so far.</param>
/// <param name="Accuracy">The fraction of the epoch's images so far classified correctly (before each step's update).</param>
/// <param name="ImagesPerSecond">Training images per second over the epoch so far.</param>
/// <param name="EpochRemaining">The estimated time to the end of the epoch's training steps.</param>
/// <param name="LearningRate">The rate this step used.</param>
/// <param name="GradientNorm">The total gradient L2 norm before clipping.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int StepInEpoch,
    int StepsPerEpoch,
    long GlobalStep,
    double Loss,
    double MeanLoss,
    double Accuracy,
    double ImagesPerSecond,
    TimeSpan EpochRemaining,
    double LearningRate,
    double GradientNorm);
