using System.Diagnostics;

namespace Convolve.Training;

/// <summary>Running sums of one epoch (in double) and its clock: mean loss, accuracy, throughput and time left.</summary>
internal sealed class EpochMeter
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private double lossSum;
    private long correct, images;
    private int stepsTaken;

    /// <summary>Starts the clock; <paramref name="startPosition"/> steps of the epoch were taken before (a resume).</summary>
    public EpochMeter(int stepsPerEpoch, int startPosition) => (StepsPerEpoch, StepInEpoch) = (stepsPerEpoch, startPosition);

    /// <summary>Batches in the epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Steps of the epoch completed, counting those before a resume.</summary>
    public int StepInEpoch { get; private set; }

    /// <summary>Mean loss per image over the steps measured here.</summary>
    public double MeanLoss => lossSum / images;

    /// <summary>Fraction classified correctly over the steps measured here.</summary>
    public double Accuracy => (double)correct / images;

    /// <summary>Images per second since the epoch (or the resume) started.</summary>
    public double ImagesPerSecond => images / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);

    /// <summary>Seconds since the epoch (or the resume) started.</summary>
    public double Seconds => clock.Elapsed.TotalSeconds;

    /// <summary>The remaining steps at the average step time so far.</summary>
    public TimeSpan Remaining => stepsTaken == 0 ? TimeSpan.Zero : clock.Elapsed * ((double)(StepsPerEpoch - StepInEpoch) / stepsTaken);

    /// <summary>Counts one step of <paramref name="batch"/> images whose losses sum to <paramref name="batchLossSum"/>.</summary>
    public void Add(int batch, double batchLossSum, int batchCorrect)
    {
        lossSum += batchLossSum;
        correct += batchCorrect;
        images += batch;
        stepsTaken++;
        StepInEpoch++;
    }
}
