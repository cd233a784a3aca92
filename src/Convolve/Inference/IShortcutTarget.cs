using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A step that can add a residual block's shortcut to its output, and rectify the sum, in its own output
/// pass (a convolution, or a blocked chain that ends in one), instead of the block summing them after.
/// </summary>
internal interface IShortcutTarget
{
    /// <summary>Whether this step can take the shortcut (a chain that ends in a pooling cannot).</summary>
    bool AcceptsShortcut { get; }

    /// <summary>Whether the output is rectified (after the addend).</summary>
    bool Relu { get; set; }

    /// <summary>A tensor of the output's shape added before the ReLU, set by the block for each run; null for none.</summary>
    Tensor? Addend { get; set; }
}
