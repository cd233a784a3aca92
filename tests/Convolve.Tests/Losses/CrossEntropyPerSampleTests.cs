using Convolve.Diagnostics;
using Convolve.Losses;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Losses;

/// <summary>Cross-entropy with reduction None: one loss per sample, and a backward that takes one upstream gradient per sample.</summary>
public class CrossEntropyPerSampleTests
{
    [Theory]
    [InlineData(1, 3, 0f)]
    [InlineData(6, 10, 0f)]
    [InlineData(5, 4, 0.2f)]
    public void Each_loss_is_the_reference_loss_of_its_own_row(int n, int c, float smoothing)
    {
        var logits = Tensor.RandomNormal(new Shape(n, c), 21, 0f, 3f);
        int[] targets = Enumerable.Range(0, n).Select(i => (i * 7 + 1) % c).ToArray();
        Tensor losses = new CrossEntropyLoss(Reduction.None, smoothing).ForwardPerSample(logits, targets);
        Assert.Equal(new Shape(n), losses.Shape);
        for (int i = 0; i < n; i++)
        {
            var (expected, _) = ReferenceOps.CrossEntropy(logits.Data[(i * c)..((i + 1) * c)], 1, c, [targets[i]], smoothing, mean: false);
            Assert.Equal(expected, losses.Data[i], 1e-6 * Math.Max(1, expected));
        }
        double sum = new CrossEntropyLoss(Reduction.Sum, smoothing).Forward(logits, targets);
        Assert.Equal(sum, losses.Data.Sum(v => (double)v), 1e-5 * Math.Max(1, sum));
    }

    [Fact]
    public void Backward_weights_each_row_by_its_upstream_gradient()
    {
        const int n = 4, c = 5;
        var logits = Tensor.RandomNormal(new Shape(n, c), 22, 0f, 2f);
        int[] targets = [0, 4, 2, 2];
        var upstream = Tensor.FromArray([1f, -2f, 0.5f, 0f], n);
        var loss = new CrossEntropyLoss(Reduction.None, 0.1f);
        loss.ForwardPerSample(logits, targets);
        Tensor grad = loss.Backward(upstream);
        var (_, unit) = ReferenceOps.CrossEntropy(logits.Data, n, c, targets, 0.1, mean: false);
        double[] expected = unit.Select((g, k) => g * upstream.Data[k / c]).ToArray();
        TensorAssert.Close(expected, grad.Data, 1e-6, 1e-8, "row-weighted gradient");
        double Evaluate()
        {
            float[] values = new CrossEntropyLoss(Reduction.None, 0.1f).ForwardPerSample(logits, targets).Data;
            return values.Select((v, i) => (double)v * upstream.Data[i]).Sum();
        }
        GradientAssert.AssertReport(GradientCheck.CheckFunction("logits", logits, grad, Evaluate, epsilon: 1e-2f), "Σ g_i·loss_i");
    }

    [Fact]
    public void The_reductions_refuse_the_other_calls_with_the_one_to_use()
    {
        var logits = Tensor.Zeros(2, 3);
        var none = new CrossEntropyLoss(Reduction.None);
        Assert.Contains("call ForwardPerSample", Assert.Throws<InvalidOperationException>(() => none.Forward(logits, [0, 1])).Message, StringComparison.Ordinal);
        none.ForwardPerSample(logits, [0, 1]);
        Assert.Contains("call Backward(gradOutput)", Assert.Throws<InvalidOperationException>(() => none.Backward()).Message, StringComparison.Ordinal);
        Assert.Contains("expected gradOutput [2] (one per sample) but got [3]",
            Assert.Throws<ArgumentException>(() => none.Backward(Tensor.Zeros(3))).Message, StringComparison.Ordinal);
        var mean = new CrossEntropyLoss();
        Assert.Contains("needs reduction None but this loss has Mean",
            Assert.Throws<InvalidOperationException>(() => mean.ForwardPerSample(logits, [0, 1])).Message, StringComparison.Ordinal);
        Assert.Equal(0, none.ForwardPerSample(Tensor.Zeros(0, 3), []).Size);
        Assert.Contains("reduction must be Mean or Sum but got None",
            Assert.Throws<ArgumentException>(() => new MseLoss(Reduction.None)).Message, StringComparison.Ordinal);
    }
}
