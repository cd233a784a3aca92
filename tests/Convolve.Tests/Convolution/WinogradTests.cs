using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using Xunit.Abstractions;

namespace Convolve.Tests.Convolution;

/// <summary>
/// Winograd F(2×2, 3×3) against the float64 twins on the layers it applies to (2-d, 3×3, stride
/// 1, no dilation, padding ≤ 2): odd and even sizes (tiles cut by the edge), one-pixel outputs,
/// several channel blocks, groups, and transposed convolutions; and the rule that it falls back
/// where it does not apply. The worst error is reported to the test log.
/// </summary>
public class WinogradTests(ITestOutputHelper output)
{
    private const double Rtol = 1e-4, Atol = 2e-4;

    public static TheoryData<int, int, int, int, int, int, int> Cases() => new()
    {
        // batch, C_in, C_out, groups, padding, height, width
        { 2, 3, 5, 1, 1, 7, 6 },
        { 1, 1, 1, 1, 0, 3, 3 },
        { 2, 4, 6, 2, 2, 1, 2 },
        { 3, 40, 36, 1, 1, 9, 11 },
        { 2, 17, 33, 1, 0, 6, 5 },
        { 1, 32, 32, 1, 1, 28, 28 },
        { 2, 64, 64, 4, 2, 5, 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Convolution_matches_reference(int batch, int inChannels, int outChannels, int groups, int padding, int height, int width)
    {
        var layer = new Conv2d(inChannels, outChannels, 3, padding: padding, groups: groups, random: new RandomSource(3)) { Algorithm = ConvolutionAlgorithm.Winograd };
        var input = Tensor.RandomNormal(new Shape(batch, inChannels, height, width), 4);
        Assert.Equal(ConvolutionAlgorithm.Winograd, layer.AlgorithmFor(input.Shape));
        Tensor result = layer.Forward(input);
        string context = $"Conv2d({inChannels},{outChannels},3,p={padding},groups={groups}) on {input.Shape}";
        Report(context, "forward", TensorAssert.CloseWithWorst(ReferenceOps.ConvForward(input, layer.Weight.Value, layer.Bias?.Value, layer.Geometry, groups), result.Data, Rtol, Atol, $"{context} forward"));
        Tensor gradOutput = Tensor.RandomNormal(result.Shape, 5);
        Tensor gradInput = layer.Backward(gradOutput);
        Report(context, "gradInput", TensorAssert.CloseWithWorst(ReferenceOps.ConvInputGrad(gradOutput, layer.Weight.Value, layer.Geometry, groups, input.Shape), gradInput.Data, Rtol, Atol, $"{context} gradInput"));
        Report(context, "gradWeight", TensorAssert.CloseWithWorst(ReferenceOps.ConvWeightGrad(input, gradOutput, layer.Geometry, groups), layer.Weight.Grad.Data, Rtol, Atol, $"{context} gradWeight"));
    }

    [Theory]
    [InlineData(2, 6, 4, 1, 0, 5, 7)]
    [InlineData(1, 20, 18, 2, 1, 4, 3)]
    [InlineData(2, 16, 16, 1, 2, 6, 6)]
    public void Transposed_convolution_matches_reference(int batch, int inChannels, int outChannels, int groups, int padding, int height, int width)
    {
        var layer = new ConvTranspose2d(inChannels, outChannels, 3, padding: padding, groups: groups, random: new RandomSource(6)) { Algorithm = ConvolutionAlgorithm.Winograd };
        var input = Tensor.RandomNormal(new Shape(batch, inChannels, height, width), 7);
        Assert.Equal(ConvolutionAlgorithm.Winograd, layer.AlgorithmFor(input.Shape));
        Tensor result = layer.Forward(input);
        string context = $"ConvTranspose2d({inChannels},{outChannels},3,p={padding}) on {input.Shape}";
        TensorAssert.Close(ReferenceOps.ConvTransposeForward(input, layer.Weight.Value, layer.Bias?.Value, layer.Geometry, groups), result.Data, Rtol, Atol, $"{context} forward");
        Tensor gradOutput = Tensor.RandomNormal(result.Shape, 8);
        Tensor gradInput = layer.Backward(gradOutput);
        TensorAssert.Close(ReferenceOps.ConvTransposeInputGrad(gradOutput, layer.Weight.Value, layer.Geometry, groups, input.Shape), gradInput.Data, Rtol, Atol, $"{context} gradInput");
        TensorAssert.Close(ReferenceOps.ConvTransposeWeightGrad(input, gradOutput, layer.Geometry, groups), layer.Weight.Grad.Data, Rtol, Atol, $"{context} gradWeight");
    }

    [Theory]
    [InlineData(5, 1, 1, 1)]
    [InlineData(3, 2, 1, 1)]
    [InlineData(3, 1, 2, 1)]
    [InlineData(3, 1, 1, 3)]
    public void Layers_it_does_not_compute_fall_back_to_the_rule(int kernel, int stride, int dilation, int padding)
    {
        var layer = new Conv2d(8, 8, kernel, stride: stride, padding: padding, dilation: dilation) { Algorithm = ConvolutionAlgorithm.Winograd };
        var shape = new Shape(1, 8, 12, 12);
        Assert.Equal(ConvolutionAlgorithms.Choose(8, 8, Simd.Level), layer.AlgorithmFor(shape));
        Assert.Equal(ReferenceOps.ConvOutputShape(shape, 8, layer.Geometry), layer.Forward(Tensor.RandomNormal(shape, 1)).Shape);
    }

    private void Report(string context, string pass, double worst) =>
        output.WriteLine(FormattableString.Invariant($"{context} {pass}: worst |ours − reference| / (1 + |reference|) = {worst:E2}"));
}
