namespace Convolve.Training;

/// <summary>
/// Training stopped because a step's loss or gradient norm was NaN or infinite. It is thrown
/// before the optimizer applies that step, so the parameters (and BatchNorm statistics) are as
/// they were after the last good step.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with the full description of where and how training diverged.</summary>
    /// <param name="message">The description.</param>
    /// <param name="epoch">The epoch, 0-based.</param>
    /// <param name="stepInEpoch">The failing step's number within its epoch, from 1.</param>
    /// <param name="globalStep">The failing step's number since training began, from 1.</param>
    /// <param name="loss">The step's loss.</param>
    /// <param name="gradientNorm">The gradient norm, or null when the loss itself was not finite.</param>
    /// <param name="learningRate">The rate the step would have used.</param>
    public TrainingDivergedException(string message, int epoch, int stepInEpoch, long globalStep, double loss, double? gradientNorm, double learningRate)
        : base(message)
    {
        (Epoch, StepInEpoch, GlobalStep, Loss, GradientNorm, LearningRate) = (epoch, stepInEpoch, globalStep, loss, gradientNorm, learningRate);
    }

    /// <summary>Creates the exception with a message only.</summary>
    public TrainingDivergedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>The epoch, 0-based.</summary>
    public int Epoch { get; }

    /// <summary>The failing step's number within its epoch, from 1.</summary>
    public int StepInEpoch { get; }

    /// <summary>The failing step's number since training began, from 1.</summary>
    public long GlobalStep { get; }

    /// <summary>The step's loss (NaN, ±∞, or finite when the gradient was the problem).</summary>
    public double Loss { get; }

    /// <summary>The total gradient norm, or null when the loss was already not finite.</summary>
    public double? GradientNorm { get; }

    /// <summary>The learning rate the step would have used.</summary>
    public double LearningRate { get; }
}
