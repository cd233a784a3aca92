using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The sizes of one batched convolution in the convolution's own direction: an input of
/// <c>[Batch, InputChannels, In...]</c> correlated with a weight of
/// <c>[OutputChannels, InputChannels/Groups, k...]</c> gives an output of
/// <c>[Batch, OutputChannels, Out...]</c>. A transposed convolution describes itself by the
/// convolution it is the adjoint of, with its own input and output swapped.
/// </summary>
internal readonly record struct ConvolutionLayout(int Batch, int InputChannels, int OutputChannels, int Groups, Window3 Window)
{
    /// <summary>Elements of one input image, <c>C_in·InD·InH·InW</c>.</summary>
    public int InputImage => InputChannels * Window.InputPlane;

    /// <summary>Elements of one output image, <c>C_out·OutD·OutH·OutW</c>.</summary>
    public int OutputImage => OutputChannels * Window.OutputPlane;

    /// <summary>Output channels of one group: the rows of its weight block.</summary>
    public int OutputChannelsPerGroup => OutputChannels / Groups;

    /// <summary>Column rows of one group, <c>(C_in/groups)·KD·KH·KW</c>: the reduction length of its GEMM.</summary>
    public int ColumnRowsPerGroup => InputChannels / Groups * Window.KernelVolume;

    /// <summary>Elements of the whole column matrix of one image.</summary>
    public int ColumnSize => InputChannels * Window.KernelVolume * Window.OutputPlane;

    /// <summary>
    /// True for a 1×1 kernel with unit stride, no padding and equal sizes: the column matrix is
    /// then the image itself, so the lowering copy can be skipped.
    /// </summary>
    public bool IsPointwise =>
        Window.KernelVolume == 1 && Window.InputPlane == Window.OutputPlane
        && Window.SD == 1 && Window.SH == 1 && Window.SW == 1 && Window.PD == 0 && Window.PH == 0 && Window.PW == 0
        && Window.InD == Window.OutD && Window.InH == Window.OutH;
}
