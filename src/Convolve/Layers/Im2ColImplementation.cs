using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>im2col + GEMM (<see cref="Im2ColConvolution"/>): every layout and pass; the unit of expected cost.</summary>
internal sealed class Im2ColImplementation : ConvolutionImplementation
{
    public override ConvolutionAlgorithm Algorithm => ConvolutionAlgorithm.Im2Col;

    public override string Summary => "im2col + GEMM, the textbook path";

    public override bool Applies(in ConvolutionLayout layout, ConvolutionPass pass) => true;

    /// <summary>The column matrix of one image; none for a pointwise convolution, which multiplies the input in place.</summary>
    public override long WorkspaceBytes(in ConvolutionLayout layout, SimdLevel level) =>
        layout.IsPointwise ? 0 : sizeof(float) * (long)layout.ColumnSize;

    public override double ExpectedCost(in ConvolutionLayout layout, ConvolutionPass pass, SimdLevel level) => 1;

    public override IConvolutionAlgorithm Create() => new Im2ColConvolution();
}
