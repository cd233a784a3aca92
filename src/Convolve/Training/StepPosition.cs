namespace Convolve.Training;

/// <summary>Where a step is, for messages: 0-based epoch, 1-based step numbers, and its learning rate.</summary>
internal readonly record struct StepPosition(int Epoch, int Epochs, int StepInEpoch, int StepsPerEpoch, long GlobalStep, double LearningRate)
{
    /// <summary>Human numbering: <c>epoch 2 of 10 at step 17 of 40 (global step 57)</c>.</summary>
    public override string ToString() =>
        $"epoch {Epoch + 1} of {Epochs} at step {StepInEpoch} of {StepsPerEpoch} (global step {GlobalStep})";
}
