using Convolve.Layers;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Optimizers;

/// <summary>GradientClipping.ClipGradNorm against torch.nn.utils.clip_grad_norm_.</summary>
public class GradientClippingTests
{
    public static TheoryData<string> Cases => OptimGolden.Names("clip_grad_norm");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Norm_and_clipped_gradients_match_pytorch(string name)
    {
        var testCase = OptimGolden.Case("clip_grad_norm", name);
        var parameters = OptimGolden.Parameters(testCase, testCase.GetProperty("gradients"));
        OptimGolden.SetGradients(parameters, testCase.GetProperty("gradients"));
        double expectedNorm = testCase.GetProperty("total_norm").GetDouble();
        double norm = GradientClipping.ClipGradNorm(parameters, OptimGolden.Number(testCase.GetProperty("max_norm")));
        Assert.True(Math.Abs(norm - expectedNorm) <= OptimGolden.Tolerance * (1 + expectedNorm), $"{name}: norm {norm:R} but PyTorch gives {expectedNorm:R}");
        var clipped = testCase.GetProperty("clipped").EnumerateArray().ToArray();
        for (int p = 0; p < parameters.Length; p++)
        {
            TensorAssert.Close(OptimGolden.Floats(clipped[p]), parameters[p].Grad.Span, OptimGolden.Tolerance, OptimGolden.Tolerance, $"{name} parameter {p}");
        }
    }

    [Fact]
    public void Hand_derived_three_four_five()
    {
        var p = Gradient(3f, 4f);
        Assert.Equal(5.0, GradientClipping.ClipGradNorm([p], 1.0), 12);
        double scale = 1.0 / (5.0 + 1e-6);
        Assert.Equal((float)(3 * (float)scale), p.Grad.Data[0]);
        Assert.Equal((float)(4 * (float)scale), p.Grad.Data[1]);
    }

    [Fact]
    public void Non_finite_norm_is_returned_and_nothing_is_scaled()
    {
        var good = Gradient(30f, 40f);
        var bad = Gradient(1f, float.NaN);
        double norm = GradientClipping.ClipGradNorm([good, bad], 1.0);
        Assert.True(double.IsNaN(norm));
        Assert.Equal([30f, 40f], good.Grad.Data);
    }

    [Fact]
    public void Non_finite_norm_throws_on_request_naming_the_parameter()
    {
        var good = Gradient(1f, 2f);
        var bad = Gradient(1f, float.PositiveInfinity);
        var ex = Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipGradNorm([good, bad], 1.0, errorIfNonfinite: true));
        Assert.Contains("parameter 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("element 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Infinity", ex.Message, StringComparison.Ordinal);
        Assert.Equal([1f, float.PositiveInfinity], bad.Grad.Data);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(-1.0, "-1")]
    public void Invalid_max_norm_is_refused(double maxNorm, string shown)
    {
        var ex = Assert.Throws<ArgumentException>(() => GradientClipping.ClipGradNorm([Gradient(1f, 1f)], maxNorm));
        Assert.Equal("maxNorm", ex.ParamName);
        Assert.Contains(shown, ex.Message, StringComparison.Ordinal);
    }

    private static Parameter Gradient(params float[] values)
    {
        var p = new Parameter("weight", new Shape(values.Length));
        values.CopyTo(p.Grad.Span);
        return p;
    }
}
