using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>Predicted classes from class scores.</summary>
internal static class Scores
{
    /// <summary>The index of the largest score; the first one on ties, as <c>torch.argmax</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int j = 1; j < scores.Length; j++)
        {
            if (scores[j] > scores[best])
            {
                best = j;
            }
        }
        return best;
    }

    /// <summary>How many rows of <c>logits Shape [N, C]</c> have their largest score at the label.</summary>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        int classes = logits.Shape[1], correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (ArgMax(logits.Span.Slice(i * classes, classes)) == labels[i])
            {
                correct++;
            }
        }
        return correct;
    }
}
