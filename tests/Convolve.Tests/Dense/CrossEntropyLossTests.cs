using Convolve.Diagnostics;
using Convolve.Losses;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Dense;

public class CrossEntropyLossTests
{
    [Theory]
    [InlineData(1, 1, 0f, Reduction.Mean)]
    [InlineData(1, 3, 0f, Reduction.Mean)]
    [InlineData(4, 5, 0f, Reduction.Mean)]
    [InlineData(4, 5, 0.1f, Reduction.Sum)]
    [InlineData(7, 10, 0.2f, Reduction.Mean)]
    [InlineData(3, 2, 1f, Reduction.Mean)]
    [InlineData(16, 33, 0.05f, Reduction.Sum)]
    public void Loss_and_gradient_match_reference(int n, int c, float smoothing, Reduction reduction)
    {
        var logits = Tensor.RandomNormal(new Shape(n, c), (ulong)(n * 100 + c), 0f, 3f);
        int[] targets = Targets(n, c, 5);
        var loss = new CrossEntropyLoss(reduction, smoothing);
        double actual = loss.Forward(logits, targets);
        Tensor grad = loss.Backward();
        var (expected, expectedGrad) = ReferenceOps.CrossEntropy(logits.Data, n, c, targets, smoothing, reduction == Reduction.Mean);
        Assert.Equal(expected, actual, 1e-12 * Math.Max(1, Math.Abs(expected)));
        Assert.Equal(logits.Shape, grad.Shape);
        TensorAssert.Close(expectedGrad, grad.Data, 1e-6, 1e-8, "∂loss/∂logits");
    }

    [Fact]
    public void Hand_derived_values()
    {
        // Two equal logits: p = 1/2, so the loss is ln 2 and the gradient (1/2 − 1, 1/2).
        var loss = new CrossEntropyLoss();
        Assert.Equal(Math.Log(2), loss.Forward(Tensor.FromArray([0f, 0f], 1, 2), [0]), 1e-15);
        Assert.Equal([-0.5f, 0.5f], loss.Backward().Data);
        // Uniform logits: every −log p_c is ln C, so any smoothing gives ln C.
        var smoothed = new CrossEntropyLoss(labelSmoothing: 0.3f);
        Assert.Equal(Math.Log(4), smoothed.Forward(Tensor.Full(new Shape(2, 4), 3f), [1, 3]), 1e-15);
    }

    [Fact]
    public void Huge_logits_stay_finite_and_match_reference()
    {
        float[] values = [1e4f, -1e4f, 0f, 9999f, -1e4f, -1e4f, 1e4f, 1e4f, 5f, -5f, -1e4f, 1e4f];
        var logits = Tensor.FromArray(values, 3, 4);
        int[] targets = [1, 0, 2];
        foreach (var (reduction, smoothing) in new[] { (Reduction.Mean, 0f), (Reduction.Sum, 0.1f) })
        {
            var loss = new CrossEntropyLoss(reduction, smoothing);
            double actual = loss.Forward(logits, targets);
            Tensor grad = loss.Backward();
            var (expected, expectedGrad) = ReferenceOps.CrossEntropy(values, 3, 4, targets, smoothing, reduction == Reduction.Mean);
            Assert.True(double.IsFinite(actual), $"loss {actual}");
            Assert.Equal(expected, actual, 1e-12 * Math.Abs(expected));
            Assert.All(grad.Data, g => Assert.True(float.IsFinite(g)));
            TensorAssert.Close(expectedGrad, grad.Data, 1e-6, 1e-8, $"{reduction} gradient");
        }
    }

    [Theory]
    [InlineData(Reduction.Mean, 0f)]
    [InlineData(Reduction.Mean, 0.2f)]
    [InlineData(Reduction.Sum, 0f)]
    [InlineData(Reduction.Sum, 0.3f)]
    public void Gradient_check(Reduction reduction, float smoothing)
    {
        var logits = Tensor.RandomNormal(new Shape(4, 5), 9, 0f, 2f);
        int[] targets = Targets(4, 5, 10);
        var loss = new CrossEntropyLoss(reduction, smoothing);
        loss.Forward(logits, targets);
        Tensor analytic = loss.Backward();
        var report = GradientCheck.CheckFunction("logits", logits, analytic, () => loss.Forward(logits, targets));
        GradientAssert.AssertReport(report, $"cross-entropy {reduction}, ε = {smoothing}");
    }

    [Theory]
    [InlineData(-1, "target at index 2 is -1, outside the classes [0, 5)")]
    [InlineData(5, "target at index 2 is 5, outside the classes [0, 5)")]
    public void Target_out_of_range_names_index_value_and_classes(int bad, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(Tensor.Zeros(3, 5), [0, 4, bad]));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_mismatch_names_both_sizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(Tensor.Zeros(4, 5), [0, 1, 2]));
        Assert.Contains("logits [4, 5] have batch 4 but targets has 3 entries", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Label_smoothing_outside_zero_one_is_refused(float smoothing)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(labelSmoothing: smoothing));
        Assert.Contains($"labelSmoothing must be in [0, 1] but got {smoothing}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 2, 3, 4 })]
    [InlineData(new[] { 2, 0 })]
    public void Logits_must_be_N_by_C(int[] dims)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(new Tensor(new Shape(dims)), [0, 0]));
        Assert.Contains($"expected logits [N, C] with C ≥ 1 but got {new Shape(dims)}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_batch_has_no_mean_but_sums_to_zero()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(Tensor.Zeros(0, 3), []));
        Assert.Contains("logits [0, 3] have an empty batch, so the mean is undefined", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0.0, new CrossEntropyLoss(Reduction.Sum).Forward(Tensor.Zeros(0, 3), []));
    }

    [Fact]
    public void Unknown_reduction_and_backward_before_forward_are_refused()
    {
        Assert.Contains("reduction must be Mean, Sum or None but got 7", Assert.Throws<ArgumentException>(() => new CrossEntropyLoss((Reduction)7)).Message, StringComparison.Ordinal);
        Assert.Contains("needs a preceding Forward", Assert.Throws<InvalidOperationException>(() => new CrossEntropyLoss().Backward()).Message, StringComparison.Ordinal);
    }

    private static int[] Targets(int n, int c, ulong seed)
    {
        var random = new RandomSource(seed);
        var targets = new int[n];
        for (int i = 0; i < n; i++)
        {
            targets[i] = random.NextInt(c);
        }
        return targets;
    }
}
