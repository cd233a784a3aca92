namespace Convolve.Training;

/// <summary>
/// A classifier's scores on a data set: mean cross-entropy, accuracy, per-class accuracy and the
/// confusion matrix, all derived from counts (long) and a loss summed in double.
/// </summary>
public sealed class EvaluationResult
{
    private readonly long[,] confusion;

    internal EvaluationResult(double loss, long[,] confusionMatrix)
    {
        (Loss, confusion) = (loss, confusionMatrix);
        int classes = confusion.GetLength(0);
        var perClass = new double[classes];
        long correct = 0, count = 0;
        for (int t = 0; t < classes; t++)
        {
            long row = 0;
            for (int p = 0; p < classes; p++)
            {
                row += confusion[t, p];
            }
            perClass[t] = row == 0 ? double.NaN : (double)confusion[t, t] / row;
            correct += confusion[t, t];
            count += row;
        }
        (PerClassAccuracy, Correct, SampleCount, Accuracy) = (perClass, correct, count, (double)correct / count);
    }

    /// <summary>The mean cross-entropy per sample (no label smoothing).</summary>
    public double Loss { get; }

    /// <summary>The fraction of samples whose highest score is their label.</summary>
    public double Accuracy { get; }

    /// <summary>For each class, the fraction of its samples predicted correctly (recall); NaN for a class with no samples.</summary>
    public IReadOnlyList<double> PerClassAccuracy { get; }

    /// <summary>The number of samples classified correctly.</summary>
    public long Correct { get; }

    /// <summary>The number of samples evaluated.</summary>
    public long SampleCount { get; }

    /// <summary>The number of classes.</summary>
    public int Classes => confusion.GetLength(0);

    /// <summary>A copy of the confusion matrix, <c>[true class, predicted class]</c> → count.</summary>
    public long[,] ConfusionMatrix => (long[,])confusion.Clone();

    /// <summary>How many samples of class <paramref name="trueClass"/> were predicted as <paramref name="predictedClass"/>.</summary>
    public long Count(int trueClass, int predictedClass) => confusion[trueClass, predictedClass];
}
