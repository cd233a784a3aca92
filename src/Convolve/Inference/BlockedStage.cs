using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Inference;

/// <summary>
/// One convolution of a <see cref="BlockedChainStep"/>: it reads one image from its channel-blocked, padded
/// input frame and writes the image's output, without bias, into a plain channel-blocked frame. The step
/// moves the output into the next convolution's input frame itself (<see cref="FrameTransfer"/>), so a
/// chain of them never passes through NCHW. The weights are packed once, when the stage is built.
/// </summary>
internal abstract unsafe class BlockedStage
{
    private protected BlockedStage(string description, BlockedFrame input, BlockedFrame output)
    {
        Description = description;
        InputFrame = input;
        OutputFrame = output;
    }

    /// <summary>What the stage computes, e.g. <c>Conv2d + ReLU (Direct)</c>, for the plan's step list.</summary>
    public string Description { get; }

    /// <summary>The frame one image is read from.</summary>
    public BlockedFrame InputFrame { get; }

    /// <summary>The plain frame one image's output (before the bias) is written to.</summary>
    public BlockedFrame OutputFrame { get; }

    /// <summary>Floats of scratch one image needs besides its two frames.</summary>
    public virtual int ScratchFloats => 0;

    /// <summary>Multiply-adds of one image, for the thread split.</summary>
    public abstract long ImageWork { get; }

    /// <summary>
    /// The parts of one image's pass that must run one after the other (direct: 1, the rows; Winograd: 3, the input
    /// transform, the products, the output transform); within a phase the items are independent.
    /// </summary>
    public abstract int Phases { get; }

    /// <summary>Independent items of <paramref name="phase"/> (rows, channel blocks, ξ).</summary>
    public abstract int Items(int phase);

    /// <summary>
    /// Computes items [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="phase"/> of one image from
    /// <paramref name="input"/> into <paramref name="output"/>. Every value is computed by the same call whoever runs
    /// the item, so the result does not depend on how the items are shared out.
    /// </summary>
    public abstract void RunPart(int phase, int start, int end, float* input, float* output, float* scratch);

    /// <summary>Computes one image from <paramref name="input"/> into <paramref name="output"/> on this thread.</summary>
    public void Run(float* input, float* output, float* scratch)
    {
        for (int phase = 0; phase < Phases; phase++)
        {
            RunPart(phase, 0, Items(phase), input, output, scratch);
        }
    }

    /// <summary>The stage for a convolution, or null when its algorithm has no blocked frames (im2col) or the layout is not one the chain moves (grouped, not 2-d).</summary>
    public static BlockedStage? For(string description, in ConvolutionLayout layout, IConvolutionAlgorithm algorithm, float[] weight)
    {
        Window3 w = layout.Window;
        if (layout.Groups != 1 || w.InD != 1 || w.KD != 1 || w.OutD != 1)
        {
            return null;
        }
        return algorithm switch
        {
            DirectConvolution => new DirectStage(description, new DirectPlan(layout, Simd.Level), weight),
            WinogradConvolution => new WinogradStage(description, new WinogradPlan(layout, Simd.Level), weight),
            _ => null,
        };
    }
}
