namespace Convolve.Training;

/// <summary>The summary of one epoch, collected into <see cref="TrainingHistory"/>.</summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="GlobalStep">Steps completed at the end of the epoch.</param>
/// <param name="TrainLoss">
/// The mean training loss per image (while the weights were changing, as usual); after a resume in
/// the middle of an epoch, over that epoch's remaining steps only.
/// </param>
/// <param name="TrainAccuracy">The fraction of training images classified correctly before their step's update.</param>
/// <param name="ValidationLoss">The mean cross-entropy on the validation set in evaluation mode, or null when not evaluated.</param>
/// <param name="ValidationAccuracy">The validation accuracy, or null when not evaluated.</param>
/// <param name="LearningRate">The rate used by the epoch's last step.</param>
/// <param name="WallSeconds">The epoch's wall-clock time, validation included.</param>
/// <param name="ImagesPerSecond">Training images per second (validation excluded).</param>
/// <param name="IsBest">
/// Whether this epoch's accuracy beats every earlier epoch's (and <see cref="TrainerOptions.PreviousBestAccuracy"/>):
/// the validation accuracy when a validation set is evaluated every epoch, else the training accuracy.
/// </param>
public sealed record EpochReport(
    int Epoch,
    long GlobalStep,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double WallSeconds,
    double ImagesPerSecond,
    bool IsBest);
