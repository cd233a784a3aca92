using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// One convolution algorithm as the chooser sees it, an entry of
/// <see cref="ConvolutionAlgorithms.Implementations"/> (after oneDNN's list of primitive
/// implementations, tried in order): its name, whether it can compute a layout's pass, the working
/// copy of one image it makes, the cost it is expected to have, and the object that computes the
/// passes. <see cref="ConvolutionAlgorithm.Auto"/> takes the implementation of least expected cost
/// among those that apply (the earlier one on a tie); a pinned algorithm runs where it applies.
/// </summary>
internal abstract class ConvolutionImplementation
{
    /// <summary>The public name of the algorithm (<see cref="ConvolutionBase.Algorithm"/>, <c>AlgorithmFor</c>).</summary>
    public abstract ConvolutionAlgorithm Algorithm { get; }

    /// <summary>The lower-case name of <c>--conv-algorithm</c> and <c>CONVOLVE_CONV_ALGORITHM</c>.</summary>
    public string Name => Algorithm.ToString().ToLowerInvariant();

    /// <summary>What it is, a few words for <c>--help</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>Whether it computes <paramref name="pass"/> of <paramref name="layout"/>; a pinned algorithm that does not falls back to the rule.</summary>
    public abstract bool Applies(in ConvolutionLayout layout, ConvolutionPass pass);

    /// <summary>Bytes of the working copy of one image of <paramref name="layout"/> it makes (shown by <c>convolve summary</c>).</summary>
    public abstract long WorkspaceBytes(in ConvolutionLayout layout, SimdLevel level);

    /// <summary>
    /// The expected time of <paramref name="pass"/> relative to im2col + GEMM's (1), used only to
    /// rank the implementations that apply: where a figure was measured (bench passes) it says so.
    /// </summary>
    public abstract double ExpectedCost(in ConvolutionLayout layout, ConvolutionPass pass, SimdLevel level);

    /// <summary>A new instance for one layer (it keeps its workspaces between calls).</summary>
    public abstract IConvolutionAlgorithm Create();
}
