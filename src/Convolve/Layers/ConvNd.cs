using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Convolution (cross-correlation, as in every deep-learning library) over 1–3 spatial
/// dimensions: <c>output[n, o, p] = bias[o] + Σ_{c in group(o), k} weight[o, c, k]·input[n, c, p·s − pad + k·d]</c>.
/// The passes run through the algorithm <see cref="ConvolutionBase.Algorithm"/> chooses (im2col +
/// GEMM, direct, or Winograd; see docs/design.md). <see cref="Conv1d"/>, <see cref="Conv2d"/> and
/// <see cref="Conv3d"/> only fix the number of spatial dimensions.
/// </summary>
public abstract class ConvNd : ConvolutionBase, IFoldsRelu
{
    private readonly ReusedBuffers<Tensor> gatedGradients = new(shape => new Tensor(shape), tensor => tensor.Shape);
    private Tensor? cachedInput;

    // The rectified output when the last Forward folded a following ReLU in (ForwardWithRelu); the
    // backward passes then gate the incoming gradient by it first, as the ReLU's backward would.
    private Tensor? reluOutput;

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
    public override Tensor Forward(Tensor input) => Forward(input, relu: false);

    /// <summary>
    /// <see cref="Forward(Tensor)"/> followed by ReLU, each image rectified right after it is written
    /// (while it is in cache), for a <see cref="Sequential"/> that folds a following <see cref="ReLU"/>
    /// in; <see cref="Backward"/> then applies the ReLU's gradient first (zero where the output is not
    /// positive). The numbers are exactly those of the two layers.
    /// </summary>
    Tensor IFoldsRelu.ForwardWithRelu(Tensor input) => Forward(input, relu: true);

    private Tensor Forward(Tensor input, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape outputShape = OutputShape(input.Shape);
        var output = NewOutput(outputShape, overwritten: true); // the passes write every element
        ConvolutionLayout layout = LayoutFor(input.Shape, outputShape);
        Implementation(layout, ConvolutionPass.Forward).Forward(input.Data, Weight.Value.Data, output.Data, layout, Bias?.Value.Data, relu);
        cachedInput = input; // in both modes: Backward works after an evaluation-mode Forward too, as in PyTorch
        reluOutput = relu ? output : null;
        return output;
    }

    /// <summary>Adds the weight and bias gradients and returns the input gradient, shape [N, C_in, In...].</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        gradOutput = ThroughRelu(gradOutput);
        ConvolutionLayout layout = AccumulateParameterGrads(gradOutput, out Tensor input);
        var gradInput = NewGradInput(input.Shape, overwritten: true); // the passes write every element
        Implementation(layout, ConvolutionPass.InputGradient).BackwardData(gradOutput.Data, Weight.Value.Data, gradInput.Data, layout);
        return gradInput;
    }

    /// <summary>Adds the weight and bias gradients only: a first layer's input gradient is never used.</summary>
    public override void BackwardParametersOnly(Tensor gradOutput) => AccumulateParameterGrads(ThroughRelu(gradOutput), out _);

    /// <summary>The gradient with respect to the convolution's output: gated by the folded ReLU's output, or unchanged.</summary>
    private Tensor ThroughRelu(Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (reluOutput is null)
        {
            return gradOutput;
        }
        RequireGradShape(gradOutput, reluOutput.Shape);
        // A buffer of its own: the incoming gradient may be read elsewhere too (a residual branch).
        Tensor gated = ReuseBuffers ? gatedGradients.Get(gradOutput.Shape, out _) : new Tensor(gradOutput.Shape);
        Elementwise.Map(new ElementwiseRelu.Backward(), gradOutput.Span, reluOutput.Span, gated.Span);
        return gated;
    }

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
