using System.Runtime.CompilerServices;
using Convolve.Inference;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>The top-k classes of a classifier for one or more images, with softmax probabilities in double.</summary>
public static class Predictor
{
    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="images"/> in evaluation mode (the previous
    /// mode is restored afterwards) and returns, per image, the <paramref name="topK"/> most probable
    /// classes, most probable first, with probabilities from a log-sum-exp softmax in double.
    /// The batches run through compiled evaluation plans (<see cref="Inference.EvaluationPlan"/>), built for this call.
    /// </summary>
    /// <param name="model">A classifier mapping <c>[B, …]</c> to class scores <c>[B, classes]</c>.</param>
    /// <param name="images">Shape [N, C, H, W] (or the model's input layout), N ≥ 1; one image is N = 1.</param>
    /// <param name="topK">How many classes to return per image, in [1, classes].</param>
    /// <param name="batchSize">Images per forward pass; positive.</param>
    /// <exception cref="ArgumentException">An argument is out of range, or the model does not output class scores for these images.</exception>
    public static Prediction[] Predict(Layer model, Tensor images, int topK = 5, int batchSize = 256)
    {
        int classes = Validate(model, images, topK, batchSize);
        int count = images.Shape[0];
        var predictions = new Prediction[count];
        var slicer = new BatchSlicer(images, batchSize);
        var probabilities = new double[classes];
        using (EvaluationMode.Enter(model))
        {
            var plans = new EvaluationPlans(model);
            for (int start = 0; start < count; start += batchSize)
            {
                Tensor logits = plans.Run(slicer.Slice(start));
                for (int i = 0; i < logits.Shape[0]; i++)
                {
                    Softmax(logits.Span.Slice(i * classes, classes), probabilities);
                    predictions[start + i] = new Prediction(Top(probabilities, topK));
                }
            }
        }
        return predictions;
    }

    /// <summary>Checks the arguments and the model's output shape; returns the number of classes.</summary>
    private static int Validate(Layer model, Tensor images, int topK, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank < 2 || images.Shape[0] == 0)
        {
            throw new ArgumentException($"images must be a batch [N, C, H, W] with N ≥ 1 but got {images.Shape}", nameof(images));
        }
        if (batchSize <= 0)
        {
            throw new ArgumentException($"batchSize must be positive but got {batchSize}", nameof(batchSize));
        }
        if (topK <= 0)
        {
            throw new ArgumentException($"topK must be positive but got {topK}", nameof(topK));
        }
        int[] batchDimensions = images.Shape.ToArray();
        batchDimensions[0] = Math.Min(batchSize, images.Shape[0]);
        Shape output = model.OutputShape(new Shape(batchDimensions));
        if (output.Rank != 2 || output[0] != batchDimensions[0] || output[1] == 0)
        {
            throw new ArgumentException(
                $"the model ({model.Name}) maps {Shape.Format(batchDimensions)} to {output} but class scores [{batchDimensions[0]}, classes] are needed", nameof(model));
        }
        if (topK > output[1])
        {
            throw new ArgumentException($"topK must be at most the model's {output[1]} classes but got {topK}", nameof(topK));
        }
        return output[1];
    }

    /// <summary>p_j = exp(x_j − logsumexp(x)), with the sum taken after subtracting the maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (float x in logits)
        {
            max = Math.Max(max, x);
        }
        foreach (float x in logits)
        {
            sum += Math.Exp(x - max);
        }
        double logSumExp = max + Math.Log(sum);
        for (int j = 0; j < logits.Length; j++)
        {
            probabilities[j] = Math.Exp(logits[j] - logSumExp);
        }
    }

    /// <summary>The k most probable classes by repeated selection (k and the class count are small); ties keep the lower class.</summary>
    private static ClassProbability[] Top(ReadOnlySpan<double> probabilities, int k)
    {
        var top = new ClassProbability[k];
        Span<bool> taken = probabilities.Length <= 1024 ? stackalloc bool[probabilities.Length] : new bool[probabilities.Length];
        for (int r = 0; r < k; r++)
        {
            int best = -1;
            for (int j = 0; j < probabilities.Length; j++)
            {
                if (!taken[j] && (best < 0 || probabilities[j] > probabilities[best]))
                {
                    best = j;
                }
            }
            taken[best] = true;
            top[r] = new ClassProbability(best, probabilities[best]);
        }
        return top;
    }
}
