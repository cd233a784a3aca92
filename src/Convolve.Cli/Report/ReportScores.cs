using Convolve.Data;
using Convolve.Inference;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Tensors;

namespace Convolve.Cli.Report;

/// <summary>One test image as the report shows it: its label, its loss and the model's three best guesses.</summary>
internal sealed record SampleScore(int Index, int Label, double Loss, (int Class, double Probability)[] Top)
{
    public bool Correct => Top[0].Class == Label;
}

/// <summary>
/// The model's scores on the test set for the report, from one evaluation-mode pass: each image's
/// cross-entropy (reduction None, one loss per image) and class probabilities, the confusion
/// matrix and per-class accuracy. A probability is <c>exp(−loss)</c> of the image taken as that
/// class, so the softmax is the loss's own.
/// </summary>
internal sealed class ReportScores
{
    private ReportScores(IReadOnlyList<SampleScore> samples, int classes)
    {
        Samples = samples;
        Confusion = new long[classes, classes];
        foreach (SampleScore s in samples)
        {
            Confusion[s.Label, s.Top[0].Class]++;
        }
        PerClassAccuracy = Enumerable.Range(0, classes).Select(c =>
        {
            long total = Enumerable.Range(0, classes).Sum(p => Confusion[c, p]);
            return total == 0 ? double.NaN : (double)Confusion[c, c] / total;
        }).ToArray();
        Accuracy = samples.Count(s => s.Correct) / (double)samples.Count;
        MeanLoss = samples.Average(s => s.Loss);
    }

    public IReadOnlyList<SampleScore> Samples { get; }

    /// <summary>[true class, predicted class] → count.</summary>
    public long[,] Confusion { get; }

    public IReadOnlyList<double> PerClassAccuracy { get; }

    public double Accuracy { get; }

    public double MeanLoss { get; }

    /// <summary>The wrongly classified images with the largest losses (most confidently wrong first).</summary>
    public IReadOnlyList<SampleScore> MostConfidentlyWrong(int count) =>
        Samples.Where(s => !s.Correct).OrderByDescending(s => s.Loss).ThenBy(s => s.Index).Take(count).ToList();

    /// <summary>Scores <paramref name="model"/> on <paramref name="test"/> in evaluation mode (the mode is restored).</summary>
    public static ReportScores Compute(Layer model, Dataset test, int batchSize = 64)
    {
        bool training = model.IsTraining;
        model.Eval();
        // Each batch's logits are scored before the next batch runs, so the compiled evaluation plans (one per
        // batch shape: the full batch and the last) write into their own buffers: a 10,000-image test set then
        // allocates no activations per batch (measured before the plans: a full-data run's peak memory went from
        // 431 MB during training to 1.08 GB while the report scored the test set with fresh tensors in batches of 256).
        try
        {
            var plans = new EvaluationPlans(model);
            var samples = new List<SampleScore>(test.Count);
            int item = test.ItemShape.Size;
            for (int start = 0; start < test.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, test.Count - start);
                var batch = new Tensor(new Shape([n, .. test.ItemShape.Dimensions]), test.Images.Data.AsSpan(start * item, n * item).ToArray());
                samples.AddRange(Score(plans.Run(batch), test.Labels.AsSpan(start, n), start));
            }
            return new ReportScores(samples, test.Classes);
        }
        finally
        {
            model.SetTraining(training);
        }
    }

    private static SampleScore[] Score(Tensor logits, ReadOnlySpan<int> labels, int first)
    {
        int n = logits.Shape[0], classes = logits.Shape[1];
        var loss = new CrossEntropyLoss(Reduction.None);
        float[] own = loss.ForwardPerSample(logits, labels).Data;
        var probability = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            probability[c] = loss.ForwardPerSample(logits, Enumerable.Repeat(c, n).ToArray()).Data.Select(l => Math.Exp(-l)).ToArray();
        }
        var scores = new SampleScore[n];
        for (int i = 0; i < n; i++)
        {
            var top = Enumerable.Range(0, classes).Select(c => (Class: c, Probability: probability[c][i]))
                .OrderByDescending(p => p.Probability).ThenBy(p => p.Class).Take(Math.Min(3, classes)).ToArray();
            scores[i] = new SampleScore(first + i, labels[i], own[i], top);
        }
        return scores;
    }
}
