using Convolve.Inference;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>Top-k predictions against a float64 softmax written from the definition.</summary>
public class PredictorTests
{
    private static Sequential Model() => new(new Flatten(), new Linear(12, 7, random: new RandomSource(1)), new Dropout(0.5f, new RandomSource(2)));

    /// <summary>softmax_j = exp(x_j) / Σ_i exp(x_i), in double, shifted by the maximum only to avoid overflow.</summary>
    private static double[] ReferenceSoftmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float x in logits)
        {
            max = Math.Max(max, x);
        }
        double[] e = new double[logits.Length];
        for (int j = 0; j < e.Length; j++)
        {
            e[j] = Math.Exp((double)logits[j] - max);
        }
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    [Theory]
    [InlineData(1, 1, 256)]
    [InlineData(5, 3, 2)]
    [InlineData(4, 7, 3)]
    public void Top_k_is_sorted_sums_to_at_most_one_and_matches_a_double_softmax(int count, int k, int batchSize)
    {
        var model = Model();
        var images = Tensor.RandomNormal(new Shape(count, 1, 3, 4), 3, 0f, 2f);
        var predictions = Predictor.Predict(model, images, k, batchSize);
        Assert.True(model.IsTraining, "the previous (training) mode is restored");

        model.Eval();
        // The predictor scores the logits of the compiled evaluation plan of each batch; they agree with the
        // layers' to float rounding (EvaluationPlanTests), the probabilities with a double softmax of them exactly.
        var logits = new float[count * 7];
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            var batch = new Tensor(new Shape(n, 1, 3, 4), images.Data.AsSpan(start * 12, n * 12).ToArray());
            model.Compile(batch.Shape).Run(batch).Span.CopyTo(logits.AsSpan(start * 7, n * 7));
        }
        float[] layers = model.Forward(images).Data;
        for (int i = 0; i < logits.Length; i++)
        {
            Assert.True(Math.Abs(logits[i] - layers[i]) <= 1e-5 * (1 + Math.Abs(layers[i])), $"logit {i}: plan {logits[i]}, layers {layers[i]}");
        }
        Assert.Equal(count, predictions.Length);
        for (int n = 0; n < count; n++)
        {
            double[] expected = ReferenceSoftmax(logits.AsSpan(n * 7, 7));
            int[] order = [.. Enumerable.Range(0, 7).OrderByDescending(j => expected[j])];
            var top = predictions[n].Top;
            Assert.Equal(k, top.Count);
            Assert.Equal(order.Take(k), top.Select(c => c.ClassIndex));
            Assert.Equal(order[0], predictions[n].PredictedClass);
            for (int r = 0; r < k; r++)
            {
                Assert.Equal(expected[top[r].ClassIndex], top[r].Probability, 1e-14);
                Assert.True(r == 0 || top[r].Probability <= top[r - 1].Probability, $"image {n}: rank {r} is not sorted");
            }
            double sum = top.Sum(c => c.Probability);
            Assert.True(sum <= 1 + 1e-12, $"image {n}: top-{k} probabilities sum to {sum:R}");
            Assert.True(k < 7 || Math.Abs(sum - 1) <= 1e-12, $"image {n}: all classes sum to {sum:R}");
        }
    }

    [Fact]
    public void Ties_keep_the_lower_class_first()
    {
        var model = new Sequential(new Flatten());
        var prediction = Predictor.Predict(model, Tensor.FromArray([1f, 3f, 3f, 1f], 1, 4), 4).Single();
        Assert.Equal([1, 2, 0, 3], prediction.Top.Select(c => c.ClassIndex));
        // e^3 / (2e^3 + 2e) and e / (2e^3 + 2e).
        double denominator = 2 * Math.Exp(3) + 2 * Math.E;
        Assert.Equal([Math.Exp(3) / denominator, Math.Exp(3) / denominator, Math.E / denominator, Math.E / denominator],
            prediction.Top.Select(c => c.Probability), new DoubleTolerance(1e-15));
    }

    private sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void Invalid_arguments_are_refused_with_their_values()
    {
        var model = Model();
        var images = Tensor.Zeros(2, 1, 3, 4);
        AssertRefused("topK", "topK must be positive but got 0", () => Predictor.Predict(model, images, 0));
        AssertRefused("topK", "topK must be at most the model's 7 classes but got 8", () => Predictor.Predict(model, images, 8));
        AssertRefused("batchSize", "batchSize must be positive but got -1", () => Predictor.Predict(model, images, 1, -1));
        AssertRefused("images", "images must be a batch [N, C, H, W] with N ≥ 1 but got [0, 1, 3, 4]", () => Predictor.Predict(model, Tensor.Zeros(0, 1, 3, 4)));
        AssertRefused("model", "the model (Sequential) maps [2, 1, 3, 4] to [2, 1, 3, 4] but class scores [2, classes] are needed",
            () => Predictor.Predict(new Sequential(new ReLU()), images));
        Assert.Throws<ArgumentNullException>(() => Predictor.Predict(null!, images));
        Assert.Throws<ArgumentNullException>(() => Predictor.Predict(model, null!));
    }

    private static void AssertRefused(string argument, string message, Action action)
    {
        var ex = Assert.Throws<ArgumentException>(action);
        Assert.Equal(argument, ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
