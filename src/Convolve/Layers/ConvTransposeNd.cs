using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Transposed convolution ("deconvolution", the fractionally strided convolution of Dumoulin
/// &amp; Visin) over 1–3 spatial dimensions: the adjoint of the convolution with the same
/// geometry and weight, <c>vec(output) = Cᵀ·vec(input)</c> (+ bias) where C is that
/// convolution's matrix (see <c>Diagnostics.ConvolutionMatrix</c>). Each input element scatters
/// a weight-scaled copy of the kernel into the output at stride steps. Its forward therefore
/// IS convolution's input-gradient pass and its backward is convolution's forward pass
/// (for the input gradient) and weight-gradient pass with the roles of input and gradOutput
/// swapped; both reuse the convolution's passes (<see cref="IConvolutionAlgorithm"/>) unchanged.
/// </summary>
public abstract class ConvTransposeNd : ConvolutionBase
{
    private Tensor? cachedInput;

    private protected ConvTransposeNd(
        string owner, int spatialDims, int inChannels, int outChannels, SpatialSize kernelSize, SpatialSize stride,
        Padding padding, SpatialSize outputPadding, int groups, bool bias, SpatialSize dilation, RandomSource? random)
        : base(ConvGeometry.ForTransposedConvolution(owner, spatialDims, kernelSize, stride, padding, outputPadding, dilation), inChannels, outChannels, groups, bias, transposed: true, random)
    {
    }

    /// <summary>Shape [N, C_out, Out...] for an input [N, C_in, In...], with <c>Out = (In − 1)·s − 2p + d·(k − 1) + output_padding + 1</c>.</summary>
    public override Shape OutputShape(Shape inputShape)
    {
        int[] spatial = InputSpatialSize(inputShape);
        return new Shape([inputShape[0], OutChannels, .. Geometry.TransposedOutputSize(spatial)]);
    }

    /// <summary>Transposed-convolves <paramref name="input"/> (shape [N, C_in, In...]) into a new [N, C_out, Out...] tensor.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape outputShape = OutputShape(input.Shape);
        var output = NewOutput(outputShape, overwritten: true); // the passes write every element
        ConvolutionLayout layout = LayoutFor(input.Shape, outputShape);
        Implementation(layout, ConvolutionPass.InputGradient).BackwardData(input.Data, Weight.Value.Data, output.Data, layout, Bias?.Value.Data);
        cachedInput = input; // in both modes: Backward works after an evaluation-mode Forward too, as in PyTorch
        return output;
    }

    /// <summary>Adds the weight and bias gradients and returns the input gradient, shape [N, C_in, In...].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = RequireCached(cachedInput);
        Shape outputShape = OutputShape(input.Shape);
        RequireGradShape(gradOutput, outputShape);
        ConvolutionLayout layout = LayoutFor(input.Shape, outputShape);
        Implementation(layout, ConvolutionPass.WeightGradient).BackwardWeight(gradOutput.Data, input.Data, Weight.Grad.Data, layout);
        AccumulateBiasGrad(gradOutput);
        var gradInput = NewGradInput(input.Shape, overwritten: true); // the passes write every element
        Implementation(layout, ConvolutionPass.Forward).Forward(gradOutput.Data, Weight.Value.Data, gradInput.Data, layout);
        return gradInput;
    }

    /// <inheritdoc/>
    private protected override bool IsTransposed => true;
}
