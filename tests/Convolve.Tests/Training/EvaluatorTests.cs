using Convolve.Data;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>Evaluation against a hand computation on a crafted data set and model.</summary>
public class EvaluatorTests
{
    // Eight 1×1×3 images whose pixels become the first three logits; class 3 has no samples.
    private static readonly float[][] Pixels =
    [
        [3, 1, 0], [0, 2, 1], [1, 0, 4], [2, 5, 1], [0, 1, 3], [1, 1, 2], [4, 0, 0], [2, 2, 0],
    ];

    private static readonly int[] Labels = [0, 1, 2, 0, 1, 2, 0, 1];

    private static Dataset Crafted() =>
        new(Tensor.FromArray([.. Pixels.SelectMany(p => p)], Pixels.Length, 1, 1, 3), Labels, 4);

    /// <summary>Flatten → Linear(3 → 4) with weight rows e0, e1, e2, 0 and zero bias → Dropout(0.9): logits (x0, x1, x2, 0) in evaluation mode.</summary>
    private static Sequential CraftedModel()
    {
        var linear = new Linear(3, 4);
        linear.NamedParameters().Single(p => p.Name == "weight").Parameter.Load([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
        linear.NamedParameters().Single(p => p.Name == "bias").Parameter.Load([0, 0, 0, 0]);
        return new Sequential(new Flatten(), linear, new Dropout(0.9f, new RandomSource(1)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(256)]
    public void Numbers_match_a_hand_computation(int batchSize)
    {
        var model = CraftedModel();
        var result = Evaluator.Evaluate(model, Crafted(), batchSize);

        // Predictions (first maximum on ties, as torch.argmax): 0, 1, 2, 1, 2, 2, 0, 0.
        long[,] expected =
        {
            { 2, 1, 0, 0 },
            { 1, 1, 1, 0 },
            { 0, 0, 2, 0 },
            { 0, 0, 0, 0 },
        };
        Assert.Equal(expected, result.ConfusionMatrix);
        Assert.Equal(1, result.Count(1, 2));
        Assert.Equal((8L, 5L, 4), (result.SampleCount, result.Correct, result.Classes));
        Assert.Equal(5.0 / 8, result.Accuracy);
        Assert.Equal([2.0 / 3, 1.0 / 3, 1.0], result.PerClassAccuracy.Take(3));
        Assert.True(double.IsNaN(result.PerClassAccuracy[3]), "a class without samples has no accuracy");
        // Cross-entropy of logits (x0, x1, x2, 0): log(e^x0 + e^x1 + e^x2 + 1) − x_label, averaged.
        double expectedLoss = Pixels.Select((p, i) => Math.Log(Math.Exp(p[0]) + Math.Exp(p[1]) + Math.Exp(p[2]) + 1) - p[Labels[i]]).Average();
        Assert.Equal(expectedLoss, result.Loss, 1e-6);
    }

    [Fact]
    public void Evaluation_mode_is_used_and_the_previous_mode_restored()
    {
        var model = CraftedModel();
        model.Train();
        Assert.Equal(5.0 / 8, Evaluator.Evaluate(model, Crafted()).Accuracy);
        Assert.True(model.IsTraining && model[2].IsTraining);
        model.Eval();
        Evaluator.Evaluate(model, Crafted());
        Assert.False(model.IsTraining || model[2].IsTraining);
    }

    [Fact]
    public void The_mode_is_restored_when_the_forward_pass_throws()
    {
        var model = new Sequential(new Flatten(), new ThrowingLayer());
        var data = new Dataset(Tensor.Zeros(2, 1, 1, 3), [0, 1], 3);
        Assert.Throws<InvalidOperationException>(() => Evaluator.Evaluate(model, data));
        Assert.True(model.IsTraining);
    }

    private sealed class ThrowingLayer : Layer
    {
        public override Shape OutputShape(Shape inputShape) => inputShape;

        public override Tensor Forward(Tensor input) => throw new InvalidOperationException("forward failed");

        public override Tensor Backward(Tensor gradOutput) => throw new InvalidOperationException("no backward");
    }

    [Fact]
    public void Invalid_arguments_are_refused_with_their_values()
    {
        var model = CraftedModel();
        var ex = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(model, Crafted(), 0));
        Assert.Equal(("batchSize", true), (ex.ParamName, ex.Message.Contains("batchSize must be positive but got 0", StringComparison.Ordinal)));
        ex = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(model, new Dataset(Tensor.Zeros(0, 1, 1, 3), [], 4)));
        Assert.Contains("cannot evaluate an empty data set (images [0, 1, 1, 3])", ex.Message, StringComparison.Ordinal);
        var threeClasses = new Dataset(Crafted().Images, Labels, 3);
        ex = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(model, threeClasses, 5));
        Assert.Contains("the model (Sequential) maps a batch [5, 1, 1, 3] to [5, 4] but the data set has 3 classes, so it must give [5, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Evaluator.Evaluate(null!, Crafted()));
        Assert.Throws<ArgumentNullException>(() => Evaluator.Evaluate(model, null!));
    }
}
