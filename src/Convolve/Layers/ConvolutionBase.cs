using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// What convolution and transposed convolution share: channel and group validation, the
/// weight and bias parameters with PyTorch's default initialisation, input checks, the bias
/// gradient (the algorithms add the bias itself) and the choice of algorithm (<see cref="Algorithm"/>, <see cref="IConvolutionAlgorithm"/>),
/// so that <see cref="ConvNd"/> and <see cref="ConvTransposeNd"/> only choose the direction.
/// </summary>
public abstract class ConvolutionBase : Layer
{
    private static readonly string[] SpatialNames = ["L", "H, W", "D, H, W"];

    private protected ConvolutionBase(ConvGeometry geometry, int inChannels, int outChannels, int groups, bool bias, bool transposed, RandomSource? random)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        string owner = geometry.Owner;
        if (inChannels <= 0 || outChannels <= 0)
        {
            throw new ArgumentException($"{owner}: inChannels and outChannels must be positive but got inChannels {inChannels}, outChannels {outChannels}");
        }
        if (groups <= 0)
        {
            throw new ArgumentException($"{owner}: groups must be positive but got {groups}", nameof(groups));
        }
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException(
                $"{owner}: groups ({groups}) must divide both inChannels ({inChannels}) and outChannels ({outChannels})", nameof(groups));
        }
        Geometry = geometry;
        InChannels = inChannels;
        OutChannels = outChannels;
        Groups = groups;
        // PyTorch's weight layouts: convolution [C_out, C_in/groups, k...], transposed [C_in, C_out/groups, k...].
        int[] weightShape = transposed ? [inChannels, outChannels / groups, .. geometry.Kernel] : [outChannels, inChannels / groups, .. geometry.Kernel];
        Weight = AddParameter("weight", new Shape(weightShape));
        Bias = bias ? AddParameter("bias", new Shape(outChannels)) : null;
        Initialize(random ?? RandomSource.Global);
    }

    /// <summary>Kernel, stride, padding, dilation (and output padding) over the spatial dimensions.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Channels of the input, <c>C_in</c>.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output, <c>C_out</c>.</summary>
    public int OutChannels { get; }

    /// <summary>Number of blocked connections: each group of <c>C_in/groups</c> input channels feeds only its own <c>C_out/groups</c> output channels.</summary>
    public int Groups { get; }

    /// <summary>The kernel; shape [C_out, C_in/groups, k...] for convolution, [C_in, C_out/groups, k...] for transposed convolution.</summary>
    public Parameter Weight { get; }

    /// <summary>The per-output-channel bias, shape [C_out], or null when built with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>
    /// The algorithm asked for: <see cref="ConvolutionAlgorithm.Auto"/> (the default) follows
    /// <see cref="ConvolutionAlgorithms.Default"/> and then the rule; another value pins it.
    /// <see cref="AlgorithmFor(Shape, ConvolutionPass)"/> tells which one runs for an input.
    /// </summary>
    public ConvolutionAlgorithm Algorithm { get; set; } = ConvolutionAlgorithm.Auto;

    private readonly Dictionary<ConvolutionAlgorithm, IConvolutionAlgorithm> implementations = [];

    /// <summary>
    /// The algorithm that runs the forward pass of the underlying convolution for an input of
    /// <paramref name="inputShape"/> (for a transposed convolution, its backward pass): never
    /// <see cref="ConvolutionAlgorithm.Auto"/>. <see cref="AlgorithmFor(Shape, ConvolutionPass)"/> tells each pass.
    /// </summary>
    public ConvolutionAlgorithm AlgorithmFor(Shape inputShape) => AlgorithmFor(inputShape, ConvolutionPass.Forward);

    /// <summary>The algorithm that runs <paramref name="pass"/> of the underlying convolution for an input of <paramref name="inputShape"/>.</summary>
    public ConvolutionAlgorithm AlgorithmFor(Shape inputShape, ConvolutionPass pass) => Resolve(LayoutFor(inputShape, OutputShape(inputShape)), pass);

    /// <summary>
    /// Bytes of the working copy of one image the algorithm that runs for <paramref name="input"/>
    /// makes: the im2col column matrix (none for a pointwise convolution), or the direct algorithm's
    /// blocked input and output frames of one image.
    /// </summary>
    internal long WorkspaceBytes(Shape input, Shape output)
    {
        ConvolutionLayout layout = LayoutFor(new Shape([1, .. input.Dimensions[1..]]), new Shape([1, .. output.Dimensions[1..]]));
        return ConvolutionAlgorithms.Find(Resolve(layout, ConvolutionPass.Forward)).WorkspaceBytes(layout, Simd.Level);
    }

    /// <summary>The implementation of the algorithm that runs <paramref name="pass"/> (kept, with its workspaces, for the next call).</summary>
    private protected IConvolutionAlgorithm Implementation(in ConvolutionLayout layout, ConvolutionPass pass)
    {
        ConvolutionAlgorithm algorithm = Resolve(layout, pass);
        IConvolutionAlgorithm implementation = Implementation(algorithm);
        if (implementation is DirectConvolution direct && pass == ConvolutionPass.Forward)
        {
            // The forward pass's frames serve only a direct weight gradient of the same input, which a
            // convolution computes after its forward pass (a transposed convolution runs it first).
            direct.KeepInputFrames = IsTraining && !IsTransposed && Resolve(layout, ConvolutionPass.WeightGradient) == ConvolutionAlgorithm.Direct;
        }
        return implementation;
    }

    /// <summary>
    /// For a compiled evaluation plan (<see cref="Inference.EvaluationPlan"/>): the layout of the forward pass
    /// for an input of <paramref name="inputShape"/> and a new instance of the algorithm that runs it, with
    /// workspaces of its own, so the plan never disturbs the layer's own calls. With <paramref name="preferBlocked"/>,
    /// an unpinned 2-d convolution the rule would give to im2col runs direct instead, when direct applies: in a plan
    /// a direct convolution joins the layers around it in the blocked layout (<see cref="Inference.BlockedChains"/>),
    /// which repays its lanes left empty by few channels (lenet5's 6- and 16-channel layers: measured 2.2× the images/s).
    /// </summary>
    internal (ConvolutionLayout Layout, IConvolutionAlgorithm Algorithm) NewForwardImplementation(Shape inputShape, bool preferBlocked = false)
    {
        ConvolutionLayout layout = LayoutFor(inputShape, OutputShape(inputShape));
        ConvolutionAlgorithm chosen = Resolve(layout, ConvolutionPass.Forward);
        if (preferBlocked && chosen == ConvolutionAlgorithm.Im2Col && Algorithm == ConvolutionAlgorithm.Auto && ConvolutionAlgorithms.Default == ConvolutionAlgorithm.Auto
            && !IsTransposed && layout.Groups == 1 && layout.Window.InD == 1 && layout.Window.KD == 1
            && ConvolutionAlgorithms.Find(ConvolutionAlgorithm.Direct).Applies(layout, ConvolutionPass.Forward))
        {
            chosen = ConvolutionAlgorithm.Direct;
        }
        IConvolutionAlgorithm implementation = chosen switch
        {
            ConvolutionAlgorithm.Direct => new DirectConvolution { KeepInputFrames = false, KeepPackedWeights = true },
            ConvolutionAlgorithm.Winograd => new WinogradConvolution { KeepPackedWeights = true },
            ConvolutionAlgorithm.Depthwise => new DepthwiseConvolution(),
            _ => new Im2ColConvolution(),
        };
        return (layout, implementation);
    }

    private IConvolutionAlgorithm Implementation(ConvolutionAlgorithm algorithm)
    {
        if (!implementations.TryGetValue(algorithm, out IConvolutionAlgorithm? implementation))
        {
            implementation = ConvolutionAlgorithms.Find(algorithm).Create();
            implementations[algorithm] = implementation;
        }
        return implementation;
    }

    /// <summary>The pinned algorithm, else the default, else the rule; one that does not apply to the layout falls back to the rule.</summary>
    private ConvolutionAlgorithm Resolve(in ConvolutionLayout layout, ConvolutionPass pass) =>
        ConvolutionAlgorithms.Resolve(Algorithm == ConvolutionAlgorithm.Auto ? ConvolutionAlgorithms.Default : Algorithm, layout, Simd.Level, pass).Algorithm;

    /// <summary>
    /// Checks rank, channel count and spatial sizes of an input shape and returns its spatial
    /// sizes; the message shows the expected layout, e.g.
    /// <c>Conv2d(inChannels: 3) expected input [N, 3, H, W] but got [8, 1, 28, 28]</c>.
    /// </summary>
    private protected int[] InputSpatialSize(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int dims = Geometry.SpatialDims;
        string expected = $"{Name}(inChannels: {InChannels}) expected input [N, {InChannels}, {SpatialNames[dims - 1]}]";
        if (inputShape.Rank != dims + 2 || inputShape[1] != InChannels)
        {
            throw new ArgumentException($"{expected} but got {inputShape}", "input");
        }
        int[] spatial = inputShape.Dimensions[2..].ToArray();
        if (spatial.Any(size => size <= 0))
        {
            throw new ArgumentException($"{expected} with positive spatial sizes but got {inputShape}", "input");
        }
        return spatial;
    }

    /// <summary>True for a transposed convolution, whose passes run the underlying convolution backwards.</summary>
    private protected abstract bool IsTransposed { get; }

    /// <summary>
    /// The sizes of the underlying convolution for a layer input and output: the one place where
    /// the transposed direction is worked out. A convolution maps its input to its output; a
    /// transposed convolution is described by the convolution it is the adjoint of, which maps this
    /// layer's output (the larger side) to its input. Both sizes are given explicitly because output
    /// padding makes the larger side bigger than the convolution arithmetic alone would give.
    /// </summary>
    private protected ConvolutionLayout LayoutFor(Shape input, Shape output)
    {
        var (larger, smaller) = IsTransposed ? (output, input) : (input, output);
        return new ConvolutionLayout(
            input[0], larger[1], smaller[1], Groups, Geometry.ToWindow3(larger.Dimensions[2..], smaller.Dimensions[2..]));
    }

    /// <summary>Adds <c>Σ_n Σ_positions gradOutput[n, c, ...]</c> into <c>Bias.Grad[c]</c>, the rows summed in double.</summary>
    private protected void AccumulateBiasGrad(Tensor gradOutput)
    {
        if (Bias is null)
        {
            return;
        }
        var sums = new double[OutChannels];
        ChannelMaps.SumPerChannel(gradOutput.Span, gradOutput.Shape[0], OutChannels, gradOutput.Shape.SizeFrom(2), sums);
        Span<float> gradBias = Bias.Grad.Span;
        for (int c = 0; c < OutChannels; c++)
        {
            gradBias[c] += (float)sums[c];
        }
    }

    /// <summary>
    /// PyTorch's default: kaiming_uniform with a = √5, which is U(−1/√fan_in, 1/√fan_in), for the
    /// weight and the same bound for the bias; fan_in is weight dim 1 times the kernel volume,
    /// (C_in/groups)·K for convolution and (C_out/groups)·K for transposed convolution.
    /// </summary>
    private void Initialize(RandomSource random)
    {
        int fanIn = Weight.Shape.SizeFrom(1);
        float bound = 1f / MathF.Sqrt(fanIn);
        Weight.Value.FillUniform(random, -bound, bound);
        Bias?.Value.FillUniform(random, -bound, bound);
    }
}
