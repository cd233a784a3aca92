using Convolve.Data;
using Convolve.Inference;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>Scores a classifier on a data set in evaluation mode.</summary>
public static class Evaluator
{
    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="data"/> in batches, in evaluation mode
    /// (the previous mode is restored afterwards), and tallies cross-entropy and the confusion matrix.
    /// The batches run through compiled evaluation plans (<see cref="Inference.EvaluationPlan"/>), built for this call.
    /// </summary>
    /// <param name="model">A classifier mapping <c>[B, C, H, W]</c> to class scores <c>[B, classes]</c>.</param>
    /// <param name="data">At least one sample.</param>
    /// <param name="batchSize">Samples per forward pass; positive.</param>
    /// <exception cref="ArgumentException">The batch size is not positive, the data set is empty, or the model's output does not fit the data set's classes.</exception>
    public static EvaluationResult Evaluate(Layer model, Dataset data, int batchSize = 256)
    {
        Validate(model, data, batchSize);
        var confusion = new long[data.Classes, data.Classes];
        var chunkLosses = new double[ChunkCount(data, batchSize)];
        EvaluateChunks(model, data, batchSize, 0, chunkLosses.Length, chunkLosses, confusion);
        return Result(chunkLosses, data.Count, confusion);
    }

    /// <summary>The number of evaluation batches ("chunks") of <paramref name="batchSize"/> in <paramref name="data"/>.</summary>
    internal static int ChunkCount(Dataset data, int batchSize) => (data.Count + batchSize - 1) / batchSize;

    /// <summary>
    /// Evaluates batches <paramref name="firstChunk"/> to <paramref name="endChunk"/> − 1 (batch c holds items
    /// <c>[c·batchSize, (c + 1)·batchSize)</c>): each batch's summed cross-entropy goes to
    /// <paramref name="chunkLosses"/>[c] and its predictions are added to <paramref name="confusion"/>.
    /// </summary>
    internal static void EvaluateChunks(Layer model, Dataset data, int batchSize, int firstChunk, int endChunk, Span<double> chunkLosses, long[,] confusion)
    {
        int classes = data.Classes;
        var loss = new CrossEntropyLoss(Reduction.Sum);
        var slicer = new BatchSlicer(data.Images, batchSize);
        using (EvaluationMode.Enter(model))
        {
            var plans = new EvaluationPlans(model);
            for (int chunk = firstChunk; chunk < endChunk; chunk++)
            {
                int start = chunk * batchSize;
                Tensor logits = plans.Run(slicer.Slice(start));
                ReadOnlySpan<int> labels = data.Labels.AsSpan(start, logits.Shape[0]);
                chunkLosses[chunk] = loss.Forward(logits, labels);
                for (int i = 0; i < labels.Length; i++)
                {
                    confusion[labels[i], Scores.ArgMax(logits.Span.Slice(i * classes, classes))]++;
                }
            }
        }
    }

    /// <summary>The result from every batch's loss, summed in batch order, and the confusion matrix.</summary>
    internal static EvaluationResult Result(ReadOnlySpan<double> chunkLosses, int count, long[,] confusion)
    {
        double lossSum = 0;
        foreach (double chunkLoss in chunkLosses)
        {
            lossSum += chunkLoss;
        }
        return new EvaluationResult(lossSum / count, confusion);
    }

    /// <summary>Checks the arguments and, without running it, that the model maps a batch of the data to <c>[B, classes]</c>.</summary>
    internal static void Validate(Layer model, Dataset data, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0)
        {
            throw new ArgumentException($"batchSize must be positive but got {batchSize}", nameof(batchSize));
        }
        if (data.Count == 0)
        {
            throw new ArgumentException($"cannot evaluate an empty data set (images {data.Images.Shape})", nameof(data));
        }
        int batch = Math.Min(batchSize, data.Count);
        var input = new Shape([batch, .. data.ItemShape]);
        Shape output = model.OutputShape(input);
        if (output != new Shape(batch, data.Classes))
        {
            throw new ArgumentException(
                $"the model ({model.Name}) maps a batch {input} to {output} but the data set has {data.Classes} classes, so it must give [{batch}, {data.Classes}]",
                nameof(model));
        }
    }
}
