namespace Convolve.Layers;

/// <summary>
/// One way of computing a batched convolution's three passes, written in the convolution's own
/// direction (<see cref="ConvolutionLayout"/>) and used by both <see cref="ConvNd"/> and
/// <see cref="ConvTransposeNd"/> (a transposed convolution's forward pass is the input-gradient
/// pass). Every implementation computes the same numbers up to float rounding, and each is
/// bit-identical for any thread count. An instance keeps its workspaces between calls, so each
/// layer has its own.
/// </summary>
internal interface IConvolutionAlgorithm
{
    /// <summary>Writes <c>output = weight ⋆ input (+ bias)</c>.</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="output">Shape [N, C_out, Out...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    /// <param name="bias">Shape [C_out], added to every output of its channel (in the same pass where the algorithm can); null for none.</param>
    /// <param name="relu">Whether to rectify the output, <c>max(·, 0)</c> after the bias, each image while it is still in cache (a following ReLU folded in).</param>
    void Forward(float[] input, float[] weight, float[] output, in ConvolutionLayout layout, float[]? bias = null, bool relu = false);

    /// <summary>Writes the input gradient, the adjoint of <see cref="Forward"/> applied to <paramref name="gradOutput"/>.</summary>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="gradInput">Shape [N, C_in, In...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    /// <param name="bias">Shape [C_in], added to every element of its channel (a transposed convolution's bias); null for none.</param>
    void BackwardData(float[] gradOutput, float[] weight, float[] gradInput, in ConvolutionLayout layout, float[]? bias = null);

    /// <summary>Adds <c>Σ_n Σ_positions gradOutput ⊗ input</c> into <paramref name="gradWeight"/>, summing in an order fixed by the layout alone.</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="gradWeight">Shape [C_out, C_in/groups, k...]; accumulated into.</param>
    /// <param name="layout">The sizes.</param>
    void BackwardWeight(float[] input, float[] gradOutput, float[] gradWeight, in ConvolutionLayout layout);
}
