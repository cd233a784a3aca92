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

    /// <summary>Whether, at the plan's batch and the current thread count, one image's work is split over the threads.</summary>
    public abstract bool SplitsImages { get; }

    /// <summary>
    /// Computes one image from <paramref name="input"/> into <paramref name="output"/>; with <paramref name="split"/>
    /// the work is shared by the threads, every output value still computed by the same call as on one thread.
    /// </summary>
    public abstract void Run(float* input, float* output, float* scratch, bool split);

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
