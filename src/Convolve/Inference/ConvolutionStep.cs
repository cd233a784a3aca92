using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A convolution with what follows it fused in: a <see cref="BatchNorm"/> folded into its weights and
/// bias (<see cref="BatchNormFolding"/>), then optionally a residual block's shortcut added
/// (<see cref="Addend"/>) and a ReLU, all in the convolution's output pass. The direct algorithm does
/// the bias, the sum and the ReLU on each image while it is in cache; im2col and Winograd add the
/// shortcut in one pass after. The weights are the plan's own snapshot, packed once by the direct algorithm.
/// </summary>
internal sealed class ConvolutionStep : PlanStep, IShortcutTarget
{
    private readonly ConvolutionLayout layout;
    private readonly IConvolutionAlgorithm algorithm;
    private readonly float[] weight;
    private readonly float[]? bias;
    private Tensor? output;

    public ConvolutionStep(string description, ConvNd layer, Shape inputShape, float[] weight, float[]? bias, bool relu)
        : base(description, layer.OutputShape(inputShape))
    {
        (layout, algorithm) = layer.NewForwardImplementation(inputShape, preferBlocked: BlockedChains.PrefersBlockedAlgorithms);
        this.weight = weight;
        this.bias = bias;
        Relu = relu;
    }

    /// <summary>The step's description with its ReLU and algorithm, e.g. <c>Conv2d + BatchNorm2d + ReLU (Direct)</c>.</summary>
    public string Summary => $"{Description}{(Relu ? " + ReLU" : "")} ({AlgorithmName})";

    /// <inheritdoc/>
    public bool AcceptsShortcut => true;

    /// <summary>The folded bias, or null for none.</summary>
    public float[]? Bias => bias;

    /// <summary>This convolution as a stage of a <see cref="BlockedChainStep"/> (its own weights packed), or null when its algorithm or layout has no blocked frames.</summary>
    public BlockedStage? NewStage() => BlockedStage.For(Summary, layout, algorithm, weight);

    /// <summary>The algorithm that runs, for the step's description.</summary>
    public string AlgorithmName => algorithm switch
    {
        DirectConvolution => nameof(ConvolutionAlgorithm.Direct),
        WinogradConvolution => nameof(ConvolutionAlgorithm.Winograd),
        DepthwiseConvolution => nameof(ConvolutionAlgorithm.Depthwise),
        _ => nameof(ConvolutionAlgorithm.Im2Col),
    };

    /// <summary>Whether the output is rectified (after the bias and the addend).</summary>
    public bool Relu { get; set; }

    /// <summary>A tensor of the output's shape added before the ReLU (a residual shortcut), set by the block for each run; null for none.</summary>
    public Tensor? Addend { get; set; }

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        output ??= new Tensor(OutputShape);
        if (algorithm is DirectConvolution direct)
        {
            direct.Addend = Addend?.Data;
            direct.Forward(input.Data, weight, output.Data, layout, bias, Relu);
            direct.Addend = null;
            return output;
        }
        algorithm.Forward(input.Data, weight, output.Data, layout, bias, Relu && Addend is null);
        if (Addend is not null)
        {
            AddInto(output.Span, Addend.Span, Relu);
        }
        return output;
    }

    /// <summary><c>sum = max(sum + addend, 0)</c> or <c>sum + addend</c>, in place.</summary>
    internal static void AddInto(Span<float> sum, ReadOnlySpan<float> addend, bool relu)
    {
        if (relu)
        {
            Elementwise.Map(new ElementwiseAddRelu(), sum, addend, sum);
        }
        else
        {
            Elementwise.Map(new ElementwiseAdd(), sum, addend, sum);
        }
    }
}
