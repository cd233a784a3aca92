using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Convolution (cross-correlation, as in every deep-learning library) over 1–3 spatial
/// dimensions: <c>output[n, o, p] = bias[o] + Σ_{c in group(o), k} weight[o, c, k]·input[n, c, p·s − pad + k·d]</c>.
/// Forward lowers each image with im2col and multiplies by the weight per group; backward
/// recomputes the columns for the weight gradient and scatters <c>weightᵀ·gradOutput</c> back with
/// col2im for the input gradient. <see cref="Conv1d"/>, <see cref="Conv2d"/> and
/// <see cref="Conv3d"/> only fix the number of spatial dimensions.
/// </summary>
public abstract class ConvNd : ConvolutionBase
{
    private Tensor? cachedInput;

    private protected ConvNd(
        string owner, int spatialDims, int inChannels, int outChannels, SpatialSize kernelSize, SpatialSize stride,
        Padding padding, SpatialSize dilation, int groups, bool bias, RandomSource? random)
        : base(ConvGeometry.ForConvolution(owner, spatialDims, kernelSize, stride, padding, dilation), inChannels, outChannels, groups, bias, transposed: false, random)
    {
        Padding = padding;
    }

    /// <summary>
    /// The padding as given to the constructor, keeping its mode (<c>"same"</c>, <c>"valid"</c>,
    /// <c>"full"</c> or explicit sizes); <see cref="ConvolutionBase.Geometry"/> holds the resolved sizes.
    /// </summary>
    public Padding Padding { get; }

    /// <summary>Shape [N, C_out, Out...] for an input [N, C_in, In...].</summary>
    public override Shape OutputShape(Shape inputShape)
    {
        int[] spatial = InputSpatialSize(inputShape);
        return new Shape([inputShape[0], OutChannels, .. Geometry.ConvolutionOutputSize(spatial)]);
    }

    /// <summary>Convolves <paramref name="input"/> (shape [N, C_in, In...]) into a new [N, C_out, Out...] tensor.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape outputShape = OutputShape(input.Shape);
        var output = NewOutput(outputShape, overwritten: true); // the passes write every element
        ConvolutionLayout layout = LayoutFor(input.Shape, outputShape);
        Implementation(layout, ConvolutionPass.Forward).Forward(input.Data, Weight.Value.Data, output.Data, layout, Bias?.Value.Data);
        cachedInput = input; // in both modes: Backward works after an evaluation-mode Forward too, as in PyTorch
        return output;
    }

    /// <summary>Adds the weight and bias gradients and returns the input gradient, shape [N, C_in, In...].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        ConvolutionLayout layout = AccumulateParameterGrads(gradOutput, out Tensor input);
        var gradInput = NewGradInput(input.Shape, overwritten: true); // the passes write every element
        Implementation(layout, ConvolutionPass.InputGradient).BackwardData(gradOutput.Data, Weight.Value.Data, gradInput.Data, layout);
        return gradInput;
    }

    /// <summary>Adds the weight and bias gradients only: a first layer's input gradient is never used.</summary>
    public override void BackwardParametersOnly(Tensor gradOutput) => AccumulateParameterGrads(gradOutput, out _);

    private ConvolutionLayout AccumulateParameterGrads(Tensor gradOutput, out Tensor input)
    {
        input = RequireCached(cachedInput);
        Shape outputShape = OutputShape(input.Shape);
        RequireGradShape(gradOutput, outputShape);
        ConvolutionLayout layout = LayoutFor(input.Shape, outputShape);
        Implementation(layout, ConvolutionPass.WeightGradient).BackwardWeight(input.Data, gradOutput.Data, Weight.Grad.Data, layout);
        AccumulateBiasGrad(gradOutput);
        return layout;
    }

    /// <inheritdoc/>
    private protected override bool IsTransposed => false;
}
